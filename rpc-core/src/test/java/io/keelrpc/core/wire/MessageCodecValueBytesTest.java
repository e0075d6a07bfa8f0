package io.keelrpc.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Serialising and binding values with the codec's cached writers and readers. */
class MessageCodecValueBytesTest {
  record Counter(String key, long value) {}

  private final MessageCodec codec = new MessageCodec();

  @Test
  void nullSerialisesAsJsonNull() {
    assertThat(new String(codec.writeValueAsBytes(null), StandardCharsets.UTF_8)).isEqualTo("null");
  }

  @Test
  void recordRoundTripsThroughCachedWriterAndReader() throws IOException {
    byte[] json = codec.writeValueAsBytes(new Counter("a", 6));

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"a\",\"value\":6}");
    assertThat(codec.bind(json, Counter.class)).isEqualTo(new Counter("a", 6));
  }

  @Test
  void bindingTheWrongShapeFails() {
    assertThatThrownBy(() -> codec.bind("[1,2]".getBytes(StandardCharsets.UTF_8), Counter.class))
        .isInstanceOf(IOException.class);
  }
}

package io.keelrpc.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MessageCodec#readRawResponse} copies out exactly the bytes of the {@code result} value,
 * whatever its JSON type and wherever the frame's bytes sit in the buffer.
 */
class MessageCodecReadRawResponseTest {
  private final MessageCodec codec = new MessageCodec();

  static Stream<Arguments> resultsAndBuffers() {
    String[] results = {
        "\"text with \\\"quotes\\\" and \\u00e9\"", "42", "-3.5e7", "true", "null",
        "{\"key\":\"a\",\"value\":6}", "[1,[2,{\"x\":[]}],\"]\"]", "{}", "\"\""};
    Stream.Builder<Arguments> b = Stream.builder();
    for (String r : results) {
      b.add(Arguments.of(r, "heap", (Function<byte[], ByteBuf>) Unpooled::wrappedBuffer));
      b.add(Arguments.of(r, "heap slice at an offset", (Function<byte[], ByteBuf>) bytes -> {
        ByteBuf padded = Unpooled.buffer(bytes.length + 16);
        padded.writeZero(7).writeBytes(bytes).writeZero(9);
        return padded.slice(7, bytes.length);
      }));
      b.add(Arguments.of(r, "direct", (Function<byte[], ByteBuf>) bytes -> {
        ByteBuf direct = Unpooled.directBuffer(bytes.length + 8);
        direct.writeZero(5).writeBytes(bytes).skipBytes(5);
        return direct;
      }));
      b.add(Arguments.of(r, "composite", (Function<byte[], ByteBuf>) bytes -> {
        int half = bytes.length / 2;
        return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(bytes, 0, half),
            Unpooled.wrappedBuffer(bytes, half, bytes.length - half));
      }));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} in a {1} buffer")
  @MethodSource("resultsAndBuffers")
  void resultBytesAreExactlyTheValueSent(String result, String layout,
      Function<byte[], ByteBuf> wrap) throws Exception {
    String frame = "{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"result\":" + result + ",\"extra\":[1]}";
    ByteBuf buf = wrap.apply(frame.getBytes(StandardCharsets.UTF_8));
    int readerIndex = buf.readerIndex();
    try {
      RawResponse raw = codec.readRawResponse(buf);

      assertThat(new String(raw.result(), StandardCharsets.UTF_8)).isEqualTo(result);
      assertThat(raw.id().textValue()).isEqualTo("r-1");
      assertThat(raw.isError()).isFalse();
      assertThat(buf.readerIndex()).as("frame not consumed").isEqualTo(readerIndex);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0} in a {1} buffer")
  @MethodSource("resultsAndBuffers")
  void resultBeforeIdIsReadToo(String result, String layout, Function<byte[], ByteBuf> wrap)
      throws Exception {
    String frame = "{\"result\":" + result + ",\"id\":7}";
    ByteBuf buf = wrap.apply(frame.getBytes(StandardCharsets.UTF_8));
    try {
      RawResponse raw = codec.readRawResponse(buf);

      assertThat(new String(raw.result(), StandardCharsets.UTF_8)).isEqualTo(result);
      assertThat(raw.id().intValue()).isEqualTo(7);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0} in a {1} buffer")
  @MethodSource("resultsAndBuffers")
  void boundResultEqualsTheTreeReading(String result, String layout,
      Function<byte[], ByteBuf> wrap) throws Exception {
    ByteBuf buf = wrap.apply(("{\"id\":\"x\",\"result\":" + result + "}")
        .getBytes(StandardCharsets.UTF_8));
    try {
      RawResponse raw = codec.readRawResponse(buf);

      assertThat(codec.bind(raw.result(), JsonNode.class))
          .isEqualTo(KeelJson.mapper().readTree(result));
    } finally {
      buf.release();
    }
  }
}

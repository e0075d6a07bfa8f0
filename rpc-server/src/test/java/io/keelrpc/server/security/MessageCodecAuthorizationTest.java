package io.keelrpc.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code meta.authorization} on the wire: written by the client's codec, read by the server's. */
class MessageCodecAuthorizationTest {
  private final MessageCodec codec = new MessageCodec();

  /** The payload of a frame written by the codec (its 4-byte length skipped). */
  private Request readBack(ByteBuf frame) throws MalformedMessageException {
    try {
      frame.skipBytes(4);
      return codec.readRequest(frame);
    } finally {
      frame.release();
    }
  }

  private Request read(String json) throws MalformedMessageException {
    ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
    try {
      return codec.readRequest(buf);
    } finally {
      buf.release();
    }
  }

  @Test
  void requestCarriesAuthorizationBesideTheOtherMeta() throws Exception {
    Request r = readBack(codec.writeRequest(Unpooled.buffer().alloc(), "id-1", "inc", null, 250,
        2, "k-1", "Bearer \"quoted\" token"));

    assertThat(r.meta()).isEqualTo(new Meta(250, 2, "k-1", null, 0, "Bearer \"quoted\" token"));
  }

  @Test
  void authorizationAloneMakesAMetaMember() throws Exception {
    Request r = readBack(codec.writeRequest(Unpooled.buffer().alloc(), "id-1", "inc", null,
        Meta.NO_TIMEOUT, Meta.NO_ATTEMPT, null, "Bearer t"));

    assertThat(r.meta().authorization()).isEqualTo("Bearer t");
  }

  @Test
  void streamOpeningCarriesAuthorization() throws Exception {
    Request r = readBack(codec.writeStreamRequest(Unpooled.buffer().alloc(), "s-1", "ticks", null,
        5000, StreamKind.SERVER, 64, "Bearer t"));

    assertThat(r.meta().authorization()).isEqualTo("Bearer t");
    assertThat(r.meta().credit()).isEqualTo(64);
  }

  @Test
  void withoutAuthorizationTheBytesAreUnchanged() {
    ByteBuf with = codec.writeRequest(Unpooled.buffer().alloc(), "id-1", "inc", null, 250, 2,
        "k-1", null);
    ByteBuf without = codec.writeRequest(Unpooled.buffer().alloc(), "id-1", "inc", null, 250, 2,
        "k-1");
    try {
      assertThat(with.toString(StandardCharsets.UTF_8))
          .isEqualTo(without.toString(StandardCharsets.UTF_8))
          .doesNotContain("authorization");
    } finally {
      with.release();
      without.release();
    }
  }

  @Test
  void nonStringAuthorizationIsInvalidRequest() {
    assertThatThrownBy(() -> read(
        "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"m\",\"meta\":{\"authorization\":42}}"))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("meta.authorization");
  }

  @Test
  void oversizedAuthorizationIsInvalidRequest() {
    String huge = "x".repeat(Meta.MAX_AUTHORIZATION_LENGTH + 1);

    assertThatThrownBy(() -> read("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"m\","
        + "\"meta\":{\"authorization\":\"" + huge + "\"}}"))
        .isInstanceOf(MalformedMessageException.class);
  }
}

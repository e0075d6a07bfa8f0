package io.keelrpc.core.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The {@code $/cancel} notification as written by clients and read by servers. */
class CancelNotificationRoundTripTest {
  private final MessageCodec codec = new MessageCodec();

  private Request read(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readRequest(frame);
    } finally {
      frame.release();
    }
  }

  private String written(String id) {
    ByteBuf frame = CancelNotification.write(ByteBufAllocator.DEFAULT, codec.mapper(), id);
    try {
      assertThat(frame.getInt(0)).isEqualTo(frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES);
      return frame.toString(KeelFrameDecoder.LENGTH_BYTES,
          frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES, UTF_8);
    } finally {
      frame.release();
    }
  }

  @Test
  void writtenFrameIsTheLspStyleNotification() {
    assertThat(written("k3-17"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":\"k3-17\"}}");
  }

  @Test
  void writtenNotificationReadsBackAsACancelNamingTheSameId() throws Exception {
    String id = "pre\"fix\\-1";

    Request r = read(written(id));

    assertThat(CancelNotification.is(r)).isTrue();
    assertThat(CancelNotification.targetId(r, codec.mapper()))
        .isEqualTo(read("{\"id\":" + codec.mapper().writeValueAsString(id)
            + ",\"method\":\"m\"}").id());
  }

  @Test
  void aNumericTargetEqualsTheNumericIdOfTheRequestItNames() throws Exception {
    Request request = read("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"slow\"}");
    Request cancel = read("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":42}}");

    JsonNode target = CancelNotification.targetId(cancel, codec.mapper());

    assertThat(target).isEqualTo(request.id());
    assertThat(target.hashCode()).isEqualTo(request.id().hashCode());
  }

  @Test
  void aCancelWithAnIdIsARequestNotTheNotification() throws Exception {
    Request r = read("{\"jsonrpc\":\"2.0\",\"id\":\"c1\",\"method\":\"$/cancel\","
        + "\"params\":{\"id\":\"k\"}}");

    assertThat(CancelNotification.is(r)).isFalse();
  }

  @Test
  void otherNotificationsAreNotCancels() throws Exception {
    assertThat(CancelNotification.is(read("{\"method\":\"$/progress\",\"params\":{}}"))).isFalse();
    assertThat(CancelNotification.is(read("{\"method\":\"inc\",\"params\":{}}"))).isFalse();
  }

  @Test
  void paramsThatNameNoUsableIdGiveNoTarget() throws Exception {
    for (String params : new String[] {"", ",\"params\":null", ",\"params\":{}",
        ",\"params\":{\"id\":null}", ",\"params\":{\"id\":{\"a\":1}}", ",\"params\":{\"id\":true}",
        ",\"params\":[\"k\"]"}) {
      Request r = read("{\"method\":\"$/cancel\"" + params + "}");

      assertThat(CancelNotification.targetId(r, codec.mapper())).as(params).isNull();
    }
  }
}

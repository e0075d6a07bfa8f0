package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.RpcException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one side writes, the other side reads back unchanged, through the frame decoder. */
class MessageCodecRoundTripTest {
  private final MessageCodec codec = new MessageCodec();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new KeelFrameDecoder(KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES));

  @AfterEach
  void closeChannel() {
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  /** Passes a written frame through the decoder and returns the payload it emits. */
  private ByteBuf transmit(ByteBuf frame) {
    assertThat(channel.writeInbound(frame)).isTrue();
    ByteBuf payload = channel.readInbound();
    assertThat(channel.<Object>readInbound()).isNull();
    return payload;
  }

  @Test
  void writtenRequestReadsBackWithIdMethodParamsAndMeta() throws Exception {
    // An ordered map: the params are compared as bytes, and Map.of's order varies between JVMs.
    Map<String, Object> ordered = new java.util.LinkedHashMap<>();
    ordered.put("key", "a");
    ordered.put("delta", 2);
    byte[] params = codec.writeValueAsBytes(ordered);
    ByteBuf payload = transmit(
        codec.writeRequest(ByteBufAllocator.DEFAULT, "7f3c", "inc", params, 250, 2, "k-1"));

    Request r;
    try {
      r = codec.readRequest(payload);
    } finally {
      payload.release();
    }

    assertThat(r).isEqualTo(new Request(TextNode.valueOf("7f3c"), "inc",
        "{\"key\":\"a\",\"delta\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new Meta(250, 2, "k-1"), true));
    assertThat(r.idempotencyKey()).isEqualTo("k-1");
  }

  @Test
  void writtenRequestWithoutParamsOrMetaReadsBackWithNone() throws Exception {
    ByteBuf payload = transmit(codec.writeRequest(ByteBufAllocator.DEFAULT, "r1", "ping", null,
        Meta.NO_TIMEOUT, Meta.NO_ATTEMPT, null));

    Request r;
    try {
      r = codec.readRequest(payload);
    } finally {
      payload.release();
    }

    assertThat(r).isEqualTo(new Request(TextNode.valueOf("r1"), "ping", null, Meta.NONE, true));
  }

  @Test
  void writtenErrorReadsBackAsTheSameTypedError() throws Exception {
    OverloadedException sent = OverloadedException.withRetryAfter("busy", Duration.ofMillis(40));
    ByteBuf payload = transmit(codec.writeError(ByteBufAllocator.DEFAULT, IntNode.valueOf(4), true,
        sent.toErrorObject()));

    Response response;
    try {
      response = codec.readResponse(payload);
    } finally {
      payload.release();
    }

    assertThat(response.id()).isEqualTo(IntNode.valueOf(4));
    assertThat(response.error().code()).isEqualTo(-32001);
    assertThat(response.error().message()).isEqualTo("busy");
    assertThat(response.error().data()).hasToString("{\"retryAfterMs\":40}");
    RpcException received = RpcException.from(response.error());
    assertThat(received).isInstanceOf(OverloadedException.class).hasMessage("busy");
    assertThat(((OverloadedException) received).retryAfter()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void writtenResultReadsBackAsTheSameTree() throws Exception {
    ByteBuf payload = transmit(codec.writeResult(ByteBufAllocator.DEFAULT, TextNode.valueOf("a"),
        true, Map.of("key", "a", "value", 6)));

    Response response;
    try {
      response = codec.readResponse(payload);
    } finally {
      payload.release();
    }

    assertThat(response).isEqualTo(
        new Response(TextNode.valueOf("a"), json("{\"key\":\"a\",\"value\":6}"), null));
  }
}

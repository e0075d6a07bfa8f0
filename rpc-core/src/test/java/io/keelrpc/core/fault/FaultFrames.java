package io.keelrpc.core.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests and answers as the fault handler meets them: whole frames (length prefix included) on
 * the way out, payloads on the way in; and readers that take what a channel passed on.
 */
final class FaultFrames {
  static final MessageCodec CODEC = new MessageCodec();
  /** Heap buffers (array-backed, the peek's fast path). */
  static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);
  /** Pooled direct buffers, as a socket's reads are (the peek's stream path). */
  static final ByteBufAllocator DIRECT = PooledByteBufAllocator.DEFAULT;

  private FaultFrames() {}

  /** A whole request frame, as a client writes it. */
  static ByteBuf requestFrame(String id, String method, int attempt) {
    return CODEC.writeRequest(HEAP, id, method, "{\"key\":\"a\",\"n\":[1,2,{\"x\":3}]}"
        .getBytes(UTF_8), 250, attempt, null);
  }

  /** A request payload in a direct buffer, as a server's frame decoder passes it on. */
  static ByteBuf requestPayload(String id, String method, int attempt) {
    ByteBuf frame = CODEC.writeRequest(DIRECT, id, method, "{\"key\":\"a\"}".getBytes(UTF_8), 250,
        attempt, null);
    return frame.skipBytes(KeelFrameDecoder.LENGTH_BYTES);
  }

  /** A whole answer frame, as a server writes it. */
  static ByteBuf answerFrame(String id) {
    return CODEC.writeResult(HEAP, TextNode.valueOf(id), true, Map.of("value", 1));
  }

  /** An answer payload, as a client's frame decoder passes it on. */
  static ByteBuf answerPayload(String id) {
    return answerFrame(id).skipBytes(KeelFrameDecoder.LENGTH_BYTES);
  }

  /** A payload without an id: a notification. */
  static ByteBuf notificationPayload(String method) {
    return HEAP.buffer().writeBytes(("{\"jsonrpc\":\"2.0\",\"method\":\"" + method
        + "\",\"params\":{}}").getBytes(UTF_8));
  }

  /** The {@code id} of every message the channel passed inbound, each released. */
  static List<String> inboundIds(EmbeddedChannel ch) {
    List<String> ids = new ArrayList<>();
    for (ByteBuf b; (b = ch.readInbound()) != null; ) {
      ids.add(idOf(b, 0));
    }
    return ids;
  }

  /** The {@code id} of every frame the channel passed outbound, each released. */
  static List<String> outboundIds(EmbeddedChannel ch) {
    List<String> ids = new ArrayList<>();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      ids.add(idOf(b, KeelFrameDecoder.LENGTH_BYTES));
    }
    return ids;
  }

  /** The {@code meta.attempt} of every frame the channel passed outbound, each released. */
  static List<Integer> outboundAttempts(EmbeddedChannel ch) {
    List<Integer> attempts = new ArrayList<>();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      attempts.add(json(b, KeelFrameDecoder.LENGTH_BYTES).path("meta").path("attempt")
          .asInt(Meta.NO_ATTEMPT));
    }
    return attempts;
  }

  private static String idOf(ByteBuf b, int skip) {
    return json(b, skip).path("id").asText();
  }

  private static JsonNode json(ByteBuf b, int skip) {
    try {
      byte[] bytes = new byte[b.readableBytes() - skip];
      b.getBytes(b.readerIndex() + skip, bytes);
      return KeelJson.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      b.release();
    }
  }
}

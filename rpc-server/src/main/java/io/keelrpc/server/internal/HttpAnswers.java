package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The HTTP responses the server sends, each complete with its Content-Type and Content-Length. */
final class HttpAnswers {
  /** Content-Type of JSON bodies. */
  static final String JSON = "application/json";
  /** Content-Type of Prometheus' text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private HttpAnswers() {}

  /** 200 carrying a JSON-RPC answer: the dispatcher's outcome for request {@code id}. */
  static FullHttpResponse jsonRpc(ByteBufAllocator alloc, MessageCodec codec, JsonNode id,
      boolean jsonrpc2, Outcome o) {
    return jsonRpc(alloc, codec, id, jsonrpc2, o.error(), o.json());
  }

  /** 200 carrying a JSON-RPC answer whose result or error object is {@code json}. */
  static FullHttpResponse jsonRpc(ByteBufAllocator alloc, MessageCodec codec, JsonNode id,
      boolean jsonrpc2, boolean isError, byte[] json) {
    ByteBuf frame = codec.writeRaw(alloc, id, jsonrpc2, isError, json);
    frame.skipBytes(KeelFrameDecoder.LENGTH_BYTES); // the keel/1 length prefix
    return respond(HttpResponseStatus.OK, JSON, frame);
  }

  /** 204: a notification was dispatched and answered (JSON-RPC notifications get no answer). */
  static FullHttpResponse noContent() {
    return respond(HttpResponseStatus.NO_CONTENT, null, Unpooled.EMPTY_BUFFER);
  }

  /**
   * An HTTP-level error, {@code {"status":404,"error":"Not Found","message":"..."}}: the request
   * did not get as far as JSON-RPC.
   */
  static FullHttpResponse error(MessageCodec codec, HttpResponseStatus status, String message) {
    ObjectNode body = codec.mapper().createObjectNode()
        .put("status", status.code())
        .put("error", status.reasonPhrase())
        .put("message", message);
    return json(codec, status, body);
  }

  /** {@code body} as JSON with {@code status}. */
  static FullHttpResponse json(MessageCodec codec, HttpResponseStatus status, JsonNode body) {
    return respond(status, JSON, Unpooled.wrappedBuffer(codec.writeValueAsBytes(body)));
  }

  /** {@code text} as UTF-8 with {@code contentType}. */
  static FullHttpResponse text(HttpResponseStatus status, String contentType, String text) {
    return respond(status, contentType,
        Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static FullHttpResponse respond(HttpResponseStatus status, String contentType,
      ByteBuf body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    if (contentType != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (status.code() != HttpResponseStatus.NO_CONTENT.code()) {
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    }
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return r;
  }
}

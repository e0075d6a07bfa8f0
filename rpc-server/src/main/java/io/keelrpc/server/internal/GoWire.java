package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes answers the way Go's {@code net/rpc/jsonrpc} server does: one JSON object per line with
 * all three members, in this order.
 *
 * <pre>
 * {"id":7,"result":{"key":"a","value":2},"error":null}\n
 * {"id":8,"result":null,"error":"method not found: \"Counter.Dec\""}\n
 * </pre>
 *
 * <p>The id is echoed exactly as the request carried it ({@code null} when it had none or could
 * not be read). An error is its message string: Go's client has nowhere to put a code. A result
 * that is JSON {@code null} is written as {@code {}}, because Go's client reads
 * {@code "result":null,"error":null} as a broken answer and drops the connection.
 */
final class GoWire {
  private static final byte[] START = ascii("{\"id\":");
  private static final byte[] RESULT = ascii(",\"result\":");
  private static final byte[] ERROR_NULL = ascii(",\"error\":null}\n");
  private static final byte[] NULL_RESULT_ERROR = ascii(",\"result\":null,\"error\":");
  private static final byte[] END = ascii("}\n");
  private static final byte[] NULL = ascii("null");
  private static final byte[] EMPTY_OBJECT = ascii("{}");

  private GoWire() {}

  /** The answer line for a dispatcher outcome. */
  static ByteBuf answer(ByteBufAllocator alloc, MessageCodec codec, JsonNode id, Outcome o) {
    return o.error() ? error(alloc, codec, id, messageOf(codec, o.json()))
        : result(alloc, codec, id, o.json());
  }

  /** A success line carrying {@code resultJson}. */
  static ByteBuf result(ByteBufAllocator alloc, MessageCodec codec, JsonNode id,
      byte[] resultJson) {
    byte[] idJson = idJson(codec, id);
    byte[] result = Arrays.equals(resultJson, NULL) ? EMPTY_OBJECT : resultJson;
    ByteBuf buf = alloc.buffer(START.length + idJson.length + RESULT.length + result.length
        + ERROR_NULL.length);
    return buf.writeBytes(START).writeBytes(idJson).writeBytes(RESULT).writeBytes(result)
        .writeBytes(ERROR_NULL);
  }

  /** An error line whose {@code error} is {@code message}. */
  static ByteBuf error(ByteBufAllocator alloc, MessageCodec codec, JsonNode id, String message) {
    byte[] idJson = idJson(codec, id);
    byte[] text = codec.writeValueAsBytes(message.isEmpty() ? "unspecified error" : message);
    ByteBuf buf = alloc.buffer(START.length + idJson.length + NULL_RESULT_ERROR.length
        + text.length + END.length);
    return buf.writeBytes(START).writeBytes(idJson).writeBytes(NULL_RESULT_ERROR).writeBytes(text)
        .writeBytes(END);
  }

  /** The {@code message} of a serialised error object. */
  static String messageOf(MessageCodec codec, byte[] errorJson) {
    try {
      return codec.mapper().readTree(errorJson).path("message").asText("");
    } catch (IOException e) {
      return new String(errorJson, StandardCharsets.UTF_8);
    }
  }

  private static byte[] idJson(MessageCodec codec, JsonNode id) {
    return id == null || id.isNull() ? NULL : codec.writeValueAsBytes(id);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

package io.keelrpc.core.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The {@code $/cancel} notification: a caller telling the server it no longer wants the answer to
 * one of its requests on the same connection (the convention of the Language Server Protocol).
 *
 * <pre>
 * {"jsonrpc":"2.0","method":"$/cancel","params":{"id":"k3-17"}}
 * </pre>
 *
 * <p>It is a notification (no {@code id}), so it is never answered. {@code params.id} is the id of
 * the request to cancel, a string or a number, exactly as that request carried it. Method names
 * starting with {@value io.keelrpc.core.MethodDescriptor#RESERVED_PREFIX} are reserved for such
 * protocol messages, so no user method can be called {@code $/cancel}. docs/protocol.md describes
 * what a server does with it.
 */
public final class CancelNotification {
  /** The method name of the notification. */
  public static final String METHOD = "$/cancel";

  private CancelNotification() {}

  /** True if {@code request} is a {@code $/cancel} notification (no id; a request is not). */
  public static boolean is(Request request) {
    return request.isNotification() && METHOD.equals(request.method());
  }

  /**
   * The id a {@code $/cancel} notification names: a text or number node as read from
   * {@code params.id}, comparable with {@link Request#id()} by {@code equals} when both were read
   * with the same mapper; {@code null} if the params are absent, unreadable, or name no string or
   * number id.
   */
  public static JsonNode targetId(Request request, ObjectMapper mapper) {
    if (request.params() == null) {
      return null;
    }
    JsonNode params;
    try {
      params = mapper.readTree(request.params());
    } catch (IOException e) {
      return null;
    }
    JsonNode id = params == null ? null : params.get("id");
    return id != null && (id.isTextual() || id.isNumber()) ? id : null;
  }

  /** Writes the frame (length prefix and JSON) cancelling the request with string id {@code id}. */
  public static ByteBuf write(ByteBufAllocator alloc, ObjectMapper mapper, String id) {
    Objects.requireNonNull(id, "id");
    ObjectNode msg = mapper.createObjectNode().put("jsonrpc", "2.0").put("method", METHOD);
    msg.putObject("params").put("id", id);
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(msg);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    ByteBuf buf = alloc.buffer(KeelFrameDecoder.LENGTH_BYTES + json.length);
    buf.writeInt(json.length);
    buf.writeBytes(json);
    return buf;
  }
}

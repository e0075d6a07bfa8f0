package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded JSON-RPC request. The params are kept as the bytes that were sent, so the server can
 * bind them straight to the handler's type and fingerprint them for the idempotency cache without
 * building a tree.
 *
 * @param id the request id as sent (a text, number or null node), or {@code null} for a
 *     notification (no {@code id} member)
 * @param method the method name
 * @param params the params value's UTF-8 JSON (an object or an array), or {@code null} when
 *     absent or null
 * @param meta the {@code meta} extension, {@link Meta#NONE} when absent
 * @param jsonrpc2 true if the request carried {@code "jsonrpc":"2.0"}; the answer mirrors it
 */
public record Request(JsonNode id, String method, byte[] params, Meta meta, boolean jsonrpc2) {
  /** True if the request has no id and must not be answered. */
  public boolean isNotification() {
    return id == null;
  }

  /**
   * The key the server deduplicates this request under: {@code meta.idempotencyKey} if present,
   * else the id when it is a string, else {@code null} (numeric and null ids are not deduplicated).
   */
  public String idempotencyKey() {
    if (meta.idempotencyKey() != null) {
      return meta.idempotencyKey();
    }
    return id != null && id.isTextual() ? id.textValue() : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r && Objects.equals(id, r.id) && method.equals(r.method)
        && Arrays.equals(params, r.params) && meta.equals(r.meta) && jsonrpc2 == r.jsonrpc2;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, method, Arrays.hashCode(params), meta, jsonrpc2);
  }

  @Override
  public String toString() {
    return "Request[id=" + id + ", method=" + method + ", params="
        + (params == null ? "null" : new String(params, java.nio.charset.StandardCharsets.UTF_8))
        + ", meta=" + meta + ", jsonrpc2=" + jsonrpc2 + "]";
  }
}

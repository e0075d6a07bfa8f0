package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded JSON-RPC request.
 *
 * @param id the request id as sent (a text, number or null node), or {@code null} for a
 *     notification (no {@code id} member)
 * @param method the method name
 * @param params the params value, or {@code null} when absent
 * @param meta the {@code meta} extension, {@link Meta#NONE} when absent
 * @param jsonrpc2 true if the request carried {@code "jsonrpc":"2.0"}; the answer mirrors it
 */
public record Request(JsonNode id, String method, JsonNode params, Meta meta, boolean jsonrpc2) {
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
}

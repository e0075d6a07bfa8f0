package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded JSON-RPC response: either a result or an error.
 *
 * @param id the id of the request it answers (a null node when the server could not read one)
 * @param result the result value ({@code null} if this is an error, or a JSON null node)
 * @param error the error, or {@code null} on success
 */
public record Response(JsonNode id, JsonNode result, ErrorObject error) {
  /** True if this response carries an error. */
  public boolean isError() {
    return error != null;
  }
}

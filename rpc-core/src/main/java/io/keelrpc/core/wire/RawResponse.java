package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A response whose result is kept as the JSON bytes that were sent, so a client can bind them
 * straight to the type the call expects (see {@link MessageCodec#readRawResponse}).
 *
 * @param id the id of the request it answers (a null node when absent)
 * @param result the {@code result} value's UTF-8 JSON, {@code null} if the response is an error
 *     (a response with neither member has the bytes of {@code null})
 * @param error the error, or {@code null} on success
 */
public record RawResponse(JsonNode id, byte[] result, ErrorObject error) {
  /** True if this response carries an error. */
  public boolean isError() {
    return error != null;
  }
}

package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The JSON-RPC {@code error} member: a numeric code, a human message and optional structured data.
 *
 * @param code the error code (see {@link io.keelrpc.core.ErrorCode})
 * @param message a message for people; programs read {@code code} and {@code data}
 * @param data structured details, or {@code null}
 */
public record ErrorObject(int code, String message, JsonNode data) {
  /** Validates the message is present. */
  public ErrorObject {
    Objects.requireNonNull(message, "message");
  }
}

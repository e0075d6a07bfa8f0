package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;

/**
 * {@link ErrorCode#OVERLOADED}: the server's request queue was full and nothing ran.
 * {@link #retryAfter()} is the server's hint of when a retry may succeed.
 */
public class OverloadedException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public OverloadedException(String message, JsonNode data) {
    super(ErrorCode.OVERLOADED, message, data);
  }

  /** Creates the error with {@code data.retryAfterMs} set from {@code retryAfter}. */
  public static OverloadedException withRetryAfter(String message, Duration retryAfter) {
    return new OverloadedException(
        message, JsonNodeFactory.instance.objectNode().put("retryAfterMs", retryAfter.toMillis()));
  }

  /** The server's {@code data.retryAfterMs}, or {@link Duration#ZERO} if it gave none. */
  public Duration retryAfter() {
    JsonNode d = data();
    if (d == null || !d.path("retryAfterMs").canConvertToLong()) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.max(0, d.path("retryAfterMs").asLong()));
  }
}

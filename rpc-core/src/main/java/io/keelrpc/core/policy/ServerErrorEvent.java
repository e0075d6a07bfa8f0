package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * An attempt got an answer saying the server failed or is busy (OVERLOADED, UNAVAILABLE,
 * SERVER_ERROR, an HTTP 5xx). Followed by a {@link RetryEvent} or a {@link RetriesExhaustedEvent}.
 *
 * @param name the call's name
 * @param attempt the attempt, from 1
 * @param code the error or status code, or {@code null}
 * @param message a short description
 * @param latency from the start of the attempt to the answer
 * @param retryable whether the call may retry this failure (false, e.g., for a write that is not
 *     idempotent)
 * @param result the answer if it came as a value (an HTTP response), else {@code null}
 * @param error the failure if it came as one (a Keel {@code RpcException}), else {@code null}
 */
public record ServerErrorEvent(String name, int attempt, Integer code, String message,
    Duration latency, boolean retryable, Object result, Throwable error) implements CallEvent {
  @Override
  public String eventName() {
    return "server_error";
  }
}

package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * An attempt's connection could not be opened (refused, unknown host) or broke before the answer
 * came. Followed by a {@link RetryEvent} or a {@link RetriesExhaustedEvent}.
 *
 * @param name the call's name
 * @param attempt the attempt, from 1
 * @param message a short description of the failure
 * @param latency from the start of the attempt to the failure
 * @param retryable whether the call may retry it (a request that may have been sent is retried
 *     only for idempotent calls)
 * @param error the failure, or {@code null}
 */
public record ConnectionErrorEvent(String name, int attempt, String message, Duration latency,
    boolean retryable, Throwable error) implements CallEvent {
  @Override
  public String eventName() {
    return "connection_error";
  }
}

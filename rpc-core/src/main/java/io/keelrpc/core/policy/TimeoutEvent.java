package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * An attempt got no answer in time: its per-attempt timeout or the call's deadline passed (or the
 * peer said the deadline passed). Followed by a {@link RetryEvent} or a
 * {@link RetriesExhaustedEvent}.
 *
 * @param name the call's name
 * @param attempt the attempt, from 1
 * @param waited how long the attempt waited before it was given up
 * @param message a short description
 * @param retryable whether the call may retry it (only idempotent calls retry timeouts)
 * @param error the failure, or {@code null}
 */
public record TimeoutEvent(String name, int attempt, Duration waited, String message,
    boolean retryable, Throwable error) implements CallEvent {
  @Override
  public String eventName() {
    return "timeout";
  }
}

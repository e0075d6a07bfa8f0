package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * A retry was decided: after {@link #waitTime()} the call makes attempt {@link #attempt()}.
 * Fired once before each retry, right after the failure event that caused it.
 *
 * @param name the call's name
 * @param attempt the attempt about to be made (2 for the first retry)
 * @param waitTime the wait before it: the jittered backoff, at least the peer's retry-after
 * @param reason the kind of failure that caused the retry
 */
public record RetryEvent(String name, int attempt, Duration waitTime, Outcome.Kind reason)
    implements CallEvent {
  @Override
  public String eventName() {
    return "retry";
  }
}

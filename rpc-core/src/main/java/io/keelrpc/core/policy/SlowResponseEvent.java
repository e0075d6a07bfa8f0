package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * A successful answer took longer than the slow-call threshold; fired right after its
 * {@link SuccessEvent}, in addition to it.
 *
 * @param name the call's name
 * @param attempt the attempt that succeeded, from 1
 * @param latency from the start of the attempt to the answer
 * @param threshold the configured threshold that {@code latency} exceeded
 */
public record SlowResponseEvent(String name, int attempt, Duration latency, Duration threshold)
    implements CallEvent {
  @Override
  public String eventName() {
    return "slow_response";
  }
}

package io.keelrpc.core.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link FaultInjector} does to one attempt of one call on one side: each fault's
 * decision, as returned by {@link FaultInjector#plan}. Whether a fault applies to a message also
 * depends on the message (a client applies {@code dropRequest} to requests it sends, for
 * example); see {@link FaultRule} for which message each fault acts on.
 *
 * @param dropRequest the request is dropped (no other fault then applies to it)
 * @param dropResponse the answer is dropped
 * @param delayed the message is delayed by {@code delay}
 * @param delay the drawn delay, {@link Duration#ZERO} when not delayed
 * @param duplicateRequest the request is duplicated
 * @param disconnect the connection is closed mid-call
 */
public record FaultPlan(boolean dropRequest, boolean dropResponse, boolean delayed,
    Duration delay, boolean duplicateRequest, boolean disconnect) {
  /** The plan without faults. */
  public static final FaultPlan NONE =
      new FaultPlan(false, false, false, Duration.ZERO, false, false);

  /** Checks that {@code delay} is not null and is zero when not delayed. */
  public FaultPlan {
    Objects.requireNonNull(delay, "delay");
    if (!delayed && !delay.isZero()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: PT0S when not delayed)");
    }
  }

  /** True if no fault applies. */
  public boolean isNone() {
    return !dropRequest && !dropResponse && !delayed && !duplicateRequest && !disconnect;
  }
}

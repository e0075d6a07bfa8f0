package io.keelrpc.core.fault.internal;

import io.keelrpc.core.fault.FaultStats;
import java.util.concurrent.atomic.LongAdder;

/** The counts behind {@link io.keelrpc.core.fault.FaultInjector#stats()}; thread-safe. */
public final class FaultCounters {
  private final LongAdder requestsDropped = new LongAdder();
  private final LongAdder responsesDropped = new LongAdder();
  private final LongAdder delayed = new LongAdder();
  private final LongAdder duplicated = new LongAdder();
  private final LongAdder disconnects = new LongAdder();

  void requestDropped() {
    requestsDropped.increment();
  }

  void responseDropped() {
    responsesDropped.increment();
  }

  void delayed() {
    delayed.increment();
  }

  void duplicated() {
    duplicated.increment();
  }

  void disconnected() {
    disconnects.increment();
  }

  /** A consistent-enough snapshot (each count is read once). */
  public FaultStats snapshot() {
    return new FaultStats(requestsDropped.sum(), responsesDropped.sum(), delayed.sum(),
        duplicated.sum(), disconnects.sum());
  }
}

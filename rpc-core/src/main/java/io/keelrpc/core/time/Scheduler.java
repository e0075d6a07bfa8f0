package io.keelrpc.core.time;

/**
 * Runs tasks after a delay. Keel schedules timeouts and backoff sleeps through it; the default is
 * backed by a Netty event loop, tests substitute a fake driven by virtual time.
 */
@FunctionalInterface
public interface Scheduler {
  /**
   * Runs {@code task} once after {@code delayNanos} (zero or less: as soon as possible).
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; returns true if this call prevented it from running. */
    boolean cancel();
  }
}

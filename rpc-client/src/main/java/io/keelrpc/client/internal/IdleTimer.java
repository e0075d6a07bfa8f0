package io.keelrpc.client.internal;

import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.StreamWaitObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle timeout of one stream: fires when someone has waited for the server for
 * {@code idleNanos} with nothing arriving from it, counted from the later of the start of the wait
 * and the last arrival. Nothing is timed while nobody waits.
 *
 * <p>Cheap per message: an arrival is one ticker read and a volatile write; at most one task is
 * scheduled at a time, and when it runs early (something arrived meanwhile) it schedules itself
 * again for the time that is left.
 */
final class IdleTimer implements StreamWaitObserver {
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final long idleNanos;
  private final Runnable onIdle;
  private final AtomicInteger waiters = new AtomicInteger();
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile long waitingSince;
  private volatile long lastArrival = Long.MIN_VALUE;
  private volatile boolean stopped;
  private volatile Scheduler.Cancellable task;

  IdleTimer(Scheduler scheduler, Ticker ticker, long idleNanos, Runnable onIdle) {
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.idleNanos = idleNanos;
    this.onIdle = onIdle;
  }

  @Override
  public void waiting() {
    if (waiters.getAndIncrement() == 0) {
      waitingSince = ticker.nanoTime();
    }
    arm(idleNanos);
  }

  @Override
  public void doneWaiting() {
    waiters.decrementAndGet();
  }

  /** Something arrived from the server. */
  void arrived() {
    lastArrival = ticker.nanoTime();
  }

  /** The stream ended: never fires. */
  void stop() {
    stopped = true;
    Scheduler.Cancellable t = task;
    if (t != null) {
      t.cancel();
    }
  }

  private void arm(long delayNanos) {
    if (!stopped && armed.compareAndSet(false, true)) {
      task = scheduler.schedule(this::check, delayNanos);
      if (stopped) {
        task.cancel();
      }
    }
  }

  private void check() {
    armed.set(false);
    if (stopped || waiters.get() == 0) {
      return; // a waiter that comes later arms again
    }
    long since = Math.max(waitingSince, lastArrival);
    long left = idleNanos - (ticker.nanoTime() - since);
    if (left <= 0) {
      onIdle.run();
    } else {
      arm(left);
    }
  }
}

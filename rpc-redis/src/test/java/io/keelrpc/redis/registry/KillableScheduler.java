package io.keelrpc.redis.registry;

import io.keelrpc.core.time.Scheduler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real-time scheduler whose tasks stop running once {@link #kill()} is called: what a process
 * that died looks like to Redis (its renewals stop, nothing is deregistered).
 */
final class KillableScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1, r -> {
    Thread t = new Thread(r, "test-registry-scheduler");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean dead = new AtomicBoolean();

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = executor.schedule(() -> {
      if (!dead.get()) {
        task.run();
      }
    }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** From now on no task runs. */
  void kill() {
    dead.set(true);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

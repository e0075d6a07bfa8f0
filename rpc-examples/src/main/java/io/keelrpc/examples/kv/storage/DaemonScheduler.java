package io.keelrpc.examples.kv.storage;

import io.keelrpc.core.time.Scheduler;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Scheduler} a store starts for itself when none was injected: one daemon thread,
 * stopped by {@link #close()}.
 */
final class DaemonScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService executor;

  DaemonScheduler(String threadName) {
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package io.keelrpc.client.occ.internal;

import io.keelrpc.core.time.Scheduler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Scheduler} of OCC updaters: one daemon thread shared by all of them, created
 * on first use. Its tasks only decide and issue the next store call, so one thread is enough.
 */
public final class DaemonScheduler implements Scheduler {
  private static final class Holder {
    static final DaemonScheduler INSTANCE = new DaemonScheduler();
  }

  private final ScheduledThreadPoolExecutor executor;

  private DaemonScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "keel-occ-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The shared instance. */
  public static DaemonScheduler shared() {
    return Holder.INSTANCE;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }
}

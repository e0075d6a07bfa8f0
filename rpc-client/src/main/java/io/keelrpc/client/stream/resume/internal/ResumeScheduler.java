package io.keelrpc.client.stream.resume.internal;

import io.keelrpc.core.time.Scheduler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Scheduler} of resumable streams: one daemon thread named
 * {@code keel-resume-scheduler}, shared by every stream and created on first use. It runs gap
 * timers, reconnects and, for streams without an executor of their own, the consumer.
 */
public final class ResumeScheduler implements Scheduler {
  private static final class Holder {
    static final ResumeScheduler INSTANCE = new ResumeScheduler();
  }

  private final ScheduledThreadPoolExecutor executor;

  private ResumeScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "keel-resume-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The shared instance. */
  public static ResumeScheduler shared() {
    return Holder.INSTANCE;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }
}

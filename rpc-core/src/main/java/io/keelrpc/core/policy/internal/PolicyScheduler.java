package io.keelrpc.core.policy.internal;

import io.keelrpc.core.time.Scheduler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Scheduler} of {@code Resilience}: one daemon thread shared by every instance,
 * created on first use. Its tasks only time attempts out and start the next attempt, so one
 * thread is enough; a task that throws is logged and does not stop the thread.
 */
public final class PolicyScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(PolicyScheduler.class);

  private static final class Holder {
    static final PolicyScheduler INSTANCE = new PolicyScheduler();
  }

  private final ScheduledThreadPoolExecutor executor;

  private PolicyScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "keel-policy-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The shared instance. */
  public static PolicyScheduler shared() {
    return Holder.INSTANCE;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> f = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("scheduled task failed", e);
      }
    }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }
}

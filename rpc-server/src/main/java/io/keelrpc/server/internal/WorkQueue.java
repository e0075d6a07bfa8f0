package io.keelrpc.server.internal;

import io.keelrpc.server.KeelServer.QueueOrder;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker pool's queue of admitted calls. Its length is bounded by admission (the
 * dispatcher refuses beyond {@code workerThreads + queueCapacity}), not here.
 *
 * <p>{@link QueueOrder#ADAPTIVE_LIFO}: first in, first out while at most {@code lifoAbove}
 * calls wait; beyond that the newest waiting call runs next. Under a standing queue the calls
 * that run are then the freshest, with most of their deadline left, instead of the oldest, which
 * may have spent their budget waiting and would be answered after their callers gave up; the
 * oldest wait, and those whose deadline passes are answered without running when they are
 * finally taken. Without a deadline a call may wait as long as the overload lasts.
 */
final class WorkQueue {
  private WorkQueue() {}

  /** A queue for a {@code ThreadPoolExecutor} of {@code workers} threads. */
  static BlockingQueue<Runnable> create(QueueOrder order, int lifoAbove) {
    return order == QueueOrder.ADAPTIVE_LIFO ? new AdaptiveLifo(lifoAbove)
        : new LinkedBlockingQueue<>();
  }

  /** Offers at the tail; takes from the head, or from the tail when more than a bound wait. */
  private static final class AdaptiveLifo extends LinkedBlockingDeque<Runnable> {
    private static final long serialVersionUID = 1L;
    private final int lifoAbove;

    AdaptiveLifo(int lifoAbove) {
      this.lifoAbove = lifoAbove;
    }

    /** The newest waiting task if more than the bound wait, else null (take the oldest). */
    private Runnable newestIfStanding() {
      return size() > lifoAbove ? pollLast() : null;
    }

    @Override
    public Runnable take() throws InterruptedException {
      Runnable newest = newestIfStanding();
      return newest != null ? newest : takeFirst();
    }

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      Runnable newest = newestIfStanding();
      return newest != null ? newest : pollFirst(timeout, unit);
    }

    @Override
    public Runnable poll() {
      Runnable newest = newestIfStanding();
      return newest != null ? newest : pollFirst();
    }
  }
}

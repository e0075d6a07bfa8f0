package io.keelrpc.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Virtual time for tests: a {@link Ticker} and a {@link Scheduler} on the same clock. Time moves
 * only when a test calls {@link #advance(Duration)}, which runs every task that falls due, in
 * order, at its due time. Shared by every module's tests through rpc-core's test-jar.
 */
public final class FakeClock implements Ticker, Scheduler {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long now = 1_000_000_000L;
  private long sequence;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(now + Math.max(0, delayNanos), sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (FakeClock.this) {
        return tasks.remove(t);
      }
    };
  }

  /**
   * Moves time forward by {@code d}, running each task due on the way at its due time.
   *
   * @throws IllegalArgumentException if {@code d} is negative: a ticker never goes back
   */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("d: " + d + " (expected: >= 0)");
    }
    long target;
    synchronized (this) {
      target = now + d.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.dueNanos > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = Math.max(now, next.dueNanos);
      }
      next.task.run();
    }
  }

  /** Runs the tasks due now without moving time. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /** The delays, from now, of the tasks still scheduled, soonest first. */
  public synchronized List<Duration> pendingDelays() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(null);
    List<Duration> out = new ArrayList<>();
    for (Task t : sorted) {
      out.add(Duration.ofNanos(t.dueNanos - now));
    }
    return out;
  }

  /** How many tasks are still scheduled. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  private record Task(long dueNanos, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}

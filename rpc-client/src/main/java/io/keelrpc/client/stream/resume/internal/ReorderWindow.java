package io.keelrpc.client.stream.resume.internal;

import io.keelrpc.client.stream.resume.Sequenced;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bounded reorder buffer of a resumable stream: it releases items in sequence order, each
 * once, and knows which numbers are missing and since when. Pure bookkeeping, no time or threads:
 * not thread-safe, the engine guards it.
 *
 * <p>It accepts the numbers {@code next .. next+window-1}, in a ring of {@code window} slots
 * (number {@code s} in slot {@code s mod window}). {@code next} is always missing while anything
 * is held (otherwise it would have been released). Every missing number between {@code next} and
 * the highest held one is a hole; each hole has a due time at which it is to be asked for again.
 *
 * <pre>
 *   released      next                         high
 *   ... 7  8  9 | 10  11  12  13  14  15 | (beyond high: not yet seen, no hole)
 *               |  _   x   _   _   x   x |
 *                  hole      hole
 *   ring of window slots covers next .. next+window-1
 * </pre>
 *
 * @param <T> the payload type
 */
final class ReorderWindow<T> {
  /** What {@link #offer} did with an item. */
  enum Outcome {
    /** Seen before: released earlier, or already held. */
    DUPLICATE,
    /** Held until the missing numbers before it arrive. */
    HELD,
    /** Released, with any held items it unblocked. */
    RELEASED,
    /** Too far ahead to fit in the window; not kept. */
    OVERFLOW
  }

  private final int window;
  private final Object[] ring;
  private final long[] due;
  private long next;
  private long high;
  private int held;

  ReorderWindow(int window, long firstSeq) {
    this.window = window;
    this.ring = new Object[window];
    this.due = new long[window];
    this.next = firstSeq;
    this.high = firstSeq - 1;
  }

  /** The next number to release: the last released plus one. */
  long next() {
    return next;
  }

  /** True if anything is held, i.e. {@code next} is missing while a later number arrived. */
  boolean hasGap() {
    return held > 0;
  }

  /**
   * Takes one item: drops a duplicate, holds an early one (its new holes due at
   * {@code nowNanos + gapNanos}), releases the expected one and whatever it unblocks to
   * {@code release}, or refuses one beyond the window.
   */
  Outcome offer(Sequenced<T> item, long nowNanos, long gapNanos, Consumer<Sequenced<T>> release) {
    long seq = item.seq();
    if (seq < next) {
      return Outcome.DUPLICATE;
    }
    if (seq - next >= window) {
      return Outcome.OVERFLOW;
    }
    int slot = slot(seq);
    if (seq == next) {
      release.accept(item);
      next++;
      while (held > 0 && ring[slot(next)] != null) {
        int s = slot(next);
        @SuppressWarnings("unchecked")
        Sequenced<T> unblocked = (Sequenced<T>) ring[s];
        ring[s] = null;
        held--;
        release.accept(unblocked);
        next++;
      }
      if (high < next) {
        high = next - 1;
      }
      return Outcome.RELEASED;
    }
    if (seq <= high && ring[slot] != null) {
      return Outcome.DUPLICATE;
    }
    long dueNanos = saturatedAdd(nowNanos, gapNanos);
    for (long s = high + 1; s < seq; s++) {
      due[slot(s)] = dueNanos;
    }
    if (seq > high) {
      high = seq;
    }
    ring[slot] = item;
    held++;
    return Outcome.HELD;
  }

  /**
   * Collects the holes due by {@code nowNanos} as inclusive ranges of consecutive missing numbers
   * into {@code out}, and makes them due again {@code gapNanos} later.
   *
   * @return the earliest due time of any hole after this, {@link Long#MAX_VALUE} if none (or
   *     none reachable)
   */
  long collectDue(long nowNanos, long gapNanos, List<long[]> out) {
    long again = saturatedAdd(nowNanos, gapNanos);
    long earliest = Long.MAX_VALUE;
    long runStart = -1;
    for (long s = next; s <= high; s++) {
      int slot = slot(s);
      boolean missing = ring[slot] == null;
      if (missing && due[slot] <= nowNanos) {
        if (runStart < 0) {
          runStart = s;
        }
        due[slot] = again;
      } else if (runStart >= 0) {
        out.add(new long[] {runStart, s - 1});
        runStart = -1;
      }
      if (missing) {
        earliest = Math.min(earliest, due[slot]);
      }
    }
    // high is always held, so a run of missing numbers always ends before it
    return earliest;
  }

  /** Makes every hole due at {@code dueNanos}: after a reconnect, the new connection resends. */
  void resetDue(long dueNanos) {
    for (long s = next; s <= high; s++) {
      int slot = slot(s);
      if (ring[slot] == null) {
        due[slot] = dueNanos;
      }
    }
  }

  /** Drops everything held; {@link #next()} stays. */
  void clear() {
    Arrays.fill(ring, null);
    held = 0;
    high = next - 1;
  }

  private int slot(long seq) {
    return (int) (seq % window);
  }

  /** {@code a + b}, or {@link Long#MAX_VALUE} where that overflows: a due time never reached. */
  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}

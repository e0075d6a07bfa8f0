package io.keelrpc.core.wire;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving end of one direction of a stream: the items that arrived and were not yet taken,
 * never more than the window of credit the receiver grants, and the return of credit as the
 * consumer takes them. Internal building block of the Keel client and server; not API.
 *
 * <p>The sender starts with {@code window} credits (granted with the request that opened the
 * stream, or by the first {@code $/stream/credit}); each item uses one. Each time the consumer has
 * taken {@code max(1, window / 2)} items, their credit is returned through the {@link CreditSink}
 * in one {@code $/stream/credit}. So the items that arrived and were not yet returned, which
 * include every item buffered here, never exceed {@code window}, and an item beyond that is the
 * sender's fault ({@link #offer} says so).
 *
 * <p>How a stream ends decides what the consumer sees: after {@link #end} it takes the buffered
 * items, then {@code null}; after {@link #fail} the buffered items, then the failure; after
 * {@link #abort} the failure at once (the buffer is dropped). The first of these wins.
 *
 * @param <T> the item type
 */
public final class StreamInbox<T> {
  /** Returns credit to the sender (writes a {@code $/stream/credit}); called outside the lock. */
  @FunctionalInterface
  public interface CreditSink {
    /** Grants the sender {@code n} more items. */
    void grant(int n);
  }

  private final int window;
  private final int batch;
  private final CreditSink sink;
  private final StreamWaitObserver observer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<T>> pending = new ArrayDeque<>();

  // guarded by lock
  private long expectedSeq;
  private int unreturned;
  private int maxBuffered;
  private int blocked;
  private boolean ended;
  private RuntimeException failure;
  private boolean aborted;

  /**
   * An inbox; the sender's first {@code window} credits are granted by the caller.
   *
   * @param window the credit the receiver grants, at least 1
   * @param sink where returned credit goes
   * @param observer told when consumers start and stop waiting
   */
  public StreamInbox(int window, CreditSink sink, StreamWaitObserver observer) {
    if (window < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 1)");
    }
    this.window = window;
    this.batch = Math.max(1, window / 2);
    this.sink = Objects.requireNonNull(sink, "sink");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * Adds an item that arrived and wakes a taker waiting for one; from the transport's thread.
   *
   * @return {@code null} if accepted (or dropped because the stream already ended here), else why
   *     the sender broke the protocol
   */
  public String offer(long seq, T item) {
    return offer(seq, item, true);
  }

  /**
   * Adds an item like {@link #offer(long, Object)} but leaves a blocked taker asleep until
   * {@link #signalArrivals()}: a transport that reads many items at once wakes the consumer once
   * per read instead of once per item. Futures from {@link #takeAsync()} complete at once.
   */
  public String offerDeferred(long seq, T item) {
    return offer(seq, item, false);
  }

  /** Wakes a taker blocked in {@link #take} if items are waiting for it. */
  public void signalArrivals() {
    lock.lock();
    try {
      if (blocked > 0 && !items.isEmpty()) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private String offer(long seq, T item, boolean signal) {
    CompletableFuture<T> taker;
    lock.lock();
    try {
      if (aborted || failure != null) {
        return null; // ended on this side; late items are dropped
      }
      if (ended) {
        return "item " + seq + " after the end of the stream";
      }
      if (seq != expectedSeq) {
        return "item seq " + (seq == StreamMessage.ABSENT ? "missing" : seq) + ", expected "
            + expectedSeq;
      }
      if (items.size() + unreturned >= window) {
        return "item " + seq + " exceeds the credit granted (window " + window + ")";
      }
      expectedSeq++;
      taker = pending.poll();
      if (taker == null) {
        items.add(item);
        maxBuffered = Math.max(maxBuffered, items.size());
        if (signal && blocked > 0) {
          changed.signal();
        }
        return null;
      }
    } finally {
      lock.unlock();
    }
    consumed();
    observer.doneWaiting();
    taker.complete(item);
    return null;
  }

  /**
   * The sender sent its last item; {@code count} is the number it says it sent, or
   * {@link StreamMessage#ABSENT}.
   *
   * @return {@code null}, or why the sender broke the protocol (the count is wrong)
   */
  public String end(long count) {
    List<CompletableFuture<T>> toEnd;
    lock.lock();
    try {
      if (ended || aborted || failure != null) {
        return null;
      }
      if (count != StreamMessage.ABSENT && count != expectedSeq) {
        return "the end says " + count + " items were sent, " + expectedSeq + " arrived";
      }
      ended = true;
      changed.signalAll();
      toEnd = drainPending();
    } finally {
      lock.unlock();
    }
    toEnd.forEach(f -> {
      observer.doneWaiting();
      f.complete(null);
    });
    return null;
  }

  /** Ends the stream with {@code e}, thrown after the buffered items are taken. */
  public void fail(RuntimeException e) {
    terminate(e, false);
  }

  /** Ends the stream with {@code e} at once: the buffered items are dropped. */
  public void abort(RuntimeException e) {
    terminate(e, true);
  }

  private void terminate(RuntimeException e, boolean now) {
    Objects.requireNonNull(e, "e");
    List<CompletableFuture<T>> toFail;
    lock.lock();
    try {
      if (aborted || failure != null || (ended && !now)) {
        return;
      }
      failure = e;
      if (now) {
        aborted = true;
        items.clear();
      }
      changed.signalAll();
      toFail = drainPending(); // pending futures exist only while the buffer is empty
    } finally {
      lock.unlock();
    }
    toFail.forEach(f -> {
      observer.doneWaiting();
      f.completeExceptionally(e);
    });
  }

  private List<CompletableFuture<T>> drainPending() {
    List<CompletableFuture<T>> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  /**
   * Takes the next item, waiting for one: {@code null} once the stream ended and every item was
   * taken.
   *
   * @param deadline when to give up with a {@link DeadlineExceededException}, or {@code null} to
   *     wait until the stream ends
   * @throws RuntimeException the failure the stream ended with
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public T take(Deadline deadline) throws InterruptedException {
    T item;
    boolean waited = false;
    lock.lock();
    try {
      try {
        while ((item = items.poll()) == null) {
          if (failure != null) {
            throw failure;
          }
          if (ended) {
            return null;
          }
          if (!waited) {
            waited = true;
            observer.waiting();
          }
          blocked++;
          try {
            if (deadline == null) {
              changed.await();
            } else {
              long nanos = deadline.remainingNanos();
              if (nanos <= 0) {
                throw new DeadlineExceededException(
                    "the call's deadline passed while it waited for the next item");
              }
              changed.awaitNanos(nanos);
            }
          } finally {
            blocked--;
          }
        }
        if (blocked > 0 && !items.isEmpty()) {
          changed.signal(); // items are signalled a batch at a time: pass the rest on
        }
      } finally {
        if (waited) {
          observer.doneWaiting();
        }
      }
    } finally {
      lock.unlock();
    }
    consumed();
    return item;
  }

  /**
   * The next item, as a future: completed at once if one is buffered (or the stream ended),
   * else when one arrives. Futures are completed in the order they were asked for, with
   * {@code null} at the end, or exceptionally with the failure the stream ended with.
   */
  public CompletableFuture<T> takeAsync() {
    T item;
    lock.lock();
    try {
      item = items.poll();
      if (item == null) {
        if (failure != null) {
          return CompletableFuture.failedFuture(failure);
        }
        if (ended) {
          return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        pending.add(f);
        observer.waiting();
        return f;
      }
    } finally {
      lock.unlock();
    }
    consumed();
    return CompletableFuture.completedFuture(item);
  }

  /** An item was taken: returns a batch of credit when one is due. */
  private void consumed() {
    int grant = 0;
    lock.lock();
    try {
      if (ended || failure != null) {
        return; // nothing more will come: no credit needed
      }
      if (++unreturned >= batch) {
        grant = unreturned;
        unreturned = 0;
      }
    } finally {
      lock.unlock();
    }
    if (grant > 0) {
      sink.grant(grant);
    }
  }

  /** The credit the receiver grants: the most items ever buffered here. */
  public int window() {
    return window;
  }

  /** Items that arrived in all. */
  public long received() {
    lock.lock();
    try {
      return expectedSeq;
    } finally {
      lock.unlock();
    }
  }

  /** Items buffered now. */
  public int buffered() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** The most items ever buffered at once. */
  public int maxBuffered() {
    lock.lock();
    try {
      return maxBuffered;
    } finally {
      lock.unlock();
    }
  }

  /** True once the stream ended here (its end arrived, or it failed or was aborted). */
  public boolean isTerminated() {
    lock.lock();
    try {
      return ended || failure != null;
    } finally {
      lock.unlock();
    }
  }
}

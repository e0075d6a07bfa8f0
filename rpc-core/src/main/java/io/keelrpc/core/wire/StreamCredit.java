package io.keelrpc.core.wire;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending end of one direction of a stream: the credit its receiver granted and not yet used.
 * A sender takes one credit per item and waits while it has none, so it never has more items
 * outstanding than the receiver allowed. Internal building block of the Keel client and server;
 * not API.
 */
public final class StreamCredit {
  private final StreamWaitObserver observer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition granted = lock.newCondition();

  // guarded by lock
  private long credit;
  private long used;
  private long grantedTotal;
  private RuntimeException closed;
  private List<Runnable> onReady;

  /** A sender with no credit yet; {@code observer} is told while a sender waits for credit. */
  public StreamCredit(StreamWaitObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * The receiver granted {@code n} more items; from the transport's thread. Ignored if
   * {@code n < 1}.
   */
  public void grant(long n) {
    if (n < 1) {
      return;
    }
    List<Runnable> ready;
    lock.lock();
    try {
      if (closed != null) {
        return;
      }
      credit = credit + n < 0 ? Long.MAX_VALUE : credit + n; // saturates
      grantedTotal = grantedTotal + n < 0 ? Long.MAX_VALUE : grantedTotal + n;
      granted.signalAll();
      ready = onReady;
      onReady = null;
    } finally {
      lock.unlock();
    }
    runAll(ready);
  }

  /**
   * Takes one credit if there is one.
   *
   * @return false if there is none now
   * @throws RuntimeException the reason the sending end was closed
   */
  public boolean tryAcquire() {
    lock.lock();
    try {
      if (closed != null) {
        throw closed;
      }
      if (credit == 0) {
        return false;
      }
      credit--;
      used++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes one credit, waiting for the receiver to grant one.
   *
   * @param deadline when to give up with a {@link DeadlineExceededException}, or {@code null} to
   *     wait until credit comes or the sending end is closed
   * @throws RuntimeException the reason the sending end was closed
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void acquire(Deadline deadline) throws InterruptedException {
    boolean waited = false;
    lock.lock();
    try {
      try {
        while (true) {
          if (closed != null) {
            throw closed;
          }
          if (credit > 0) {
            credit--;
            used++;
            return;
          }
          if (!waited) {
            waited = true;
            observer.waiting();
          }
          if (deadline == null) {
            granted.await();
          } else {
            long nanos = deadline.remainingNanos();
            if (nanos <= 0) {
              throw new DeadlineExceededException(
                  "the call's deadline passed while it waited for credit to send");
            }
            granted.awaitNanos(nanos);
          }
        }
      } finally {
        if (waited) {
          observer.doneWaiting();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the sending end: waiting and later senders get {@code reason}; callbacks waiting for
   * readiness run (and find it closed). The first reason wins.
   */
  public void close(RuntimeException reason) {
    Objects.requireNonNull(reason, "reason");
    List<Runnable> ready;
    lock.lock();
    try {
      if (closed != null) {
        return;
      }
      closed = reason;
      granted.signalAll();
      ready = onReady;
      onReady = null;
    } finally {
      lock.unlock();
    }
    runAll(ready);
  }

  /** True if a send would not wait: there is credit and the sending end is open. */
  public boolean isReady() {
    lock.lock();
    try {
      return closed == null && credit > 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code callback} once, when the sender is ready or closed: at once on this thread if it
   * is already, else on the thread that grants credit or closes.
   */
  public void onReady(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    lock.lock();
    try {
      if (closed == null && credit == 0) {
        if (onReady == null) {
          onReady = new ArrayList<>(2);
        }
        onReady.add(callback);
        return;
      }
    } finally {
      lock.unlock();
    }
    callback.run();
  }

  /** Credits taken in all: the items sent or being sent. */
  public long used() {
    lock.lock();
    try {
      return used;
    } finally {
      lock.unlock();
    }
  }

  /** Credit available now. */
  public long available() {
    lock.lock();
    try {
      return credit;
    } finally {
      lock.unlock();
    }
  }

  /** Credit granted in all. */
  public long grantedTotal() {
    lock.lock();
    try {
      return grantedTotal;
    } finally {
      lock.unlock();
    }
  }

  /** The reason the sending end was closed, or {@code null} while open. */
  public RuntimeException closedReason() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private static void runAll(List<Runnable> callbacks) {
    if (callbacks != null) {
      callbacks.forEach(Runnable::run);
    }
  }
}

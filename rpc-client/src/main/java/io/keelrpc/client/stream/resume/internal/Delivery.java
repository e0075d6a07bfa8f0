package io.keelrpc.client.stream.resume.internal;

import io.keelrpc.client.stream.resume.Sequenced;
import io.keelrpc.core.time.Scheduler;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Hands released items to the application's consumer, one at a time and in order, on the chosen
 * executor (or as delay-0 tasks on the scheduler). At most one drain task is queued or running,
 * so the consumer is never called concurrently. The engine enqueues while holding its own lock
 * (which keeps the order) and submits the drain after letting go of it, so no foreign code runs
 * under a lock: {@link #enqueue} then {@link #submitIfNeeded()}.
 *
 * @param <T> the payload type
 */
final class Delivery<T> {
  /** Items delivered per drain task before it yields its thread and queues itself again. */
  static final int BATCH = 256;

  private final Executor executor; // null: the scheduler
  private final Scheduler scheduler;
  private final Consumer<? super Sequenced<T>> consumer;
  private final CompletableFuture<Void> done;
  private final Consumer<Throwable> onConsumerFailure;

  // guarded by this
  private final ArrayDeque<Sequenced<T>> queue = new ArrayDeque<>();
  private boolean drainQueued;
  private boolean submitPending;
  private Scheduler.Cancellable queuedDrain;
  private boolean closed;
  private Throwable failAfterDrain;

  /**
   * @param executor where the consumer runs; {@code null} for delay-0 tasks on {@code scheduler}
   * @param done completed exceptionally by {@link #failAfterDrain} once the queue is empty
   * @param onConsumerFailure told when the consumer throws or the executor refuses a task
   */
  Delivery(Executor executor, Scheduler scheduler, Consumer<? super Sequenced<T>> consumer,
      CompletableFuture<Void> done, Consumer<Throwable> onConsumerFailure) {
    this.executor = executor;
    this.scheduler = scheduler;
    this.consumer = consumer;
    this.done = done;
    this.onConsumerFailure = onConsumerFailure;
  }

  /** Queues an item; the caller then calls {@link #submitIfNeeded()} outside its locks. */
  synchronized void enqueue(Sequenced<T> item) {
    if (closed) {
      return;
    }
    queue.add(item);
    requestDrainLocked();
  }

  /**
   * Delivers what is queued, then completes {@code done} with {@code cause}; the caller then calls
   * {@link #submitIfNeeded()}.
   */
  synchronized void failAfterDrain(Throwable cause) {
    if (closed || failAfterDrain != null) {
      return;
    }
    failAfterDrain = cause;
    requestDrainLocked();
  }

  private void requestDrainLocked() {
    if (!drainQueued) {
      drainQueued = true;
      submitPending = true;
    }
  }

  /** Submits the drain task if an {@link #enqueue} asked for one that nobody submitted yet. */
  void submitIfNeeded() {
    synchronized (this) {
      if (!submitPending) {
        return;
      }
      submitPending = false;
    }
    submit();
  }

  private void submit() {
    if (executor != null) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          drainQueued = false;
        }
        onConsumerFailure.accept(e);
      }
      return;
    }
    // Keel's schedulers never run the task inline, so scheduling under the lock is safe; it
    // keeps queuedDrain exact for close() to cancel
    synchronized (this) {
      if (!closed) {
        queuedDrain = scheduler.schedule(this::drain, 0);
      }
    }
  }

  /** Stops delivering: what is queued is dropped, a queued drain task is cancelled. */
  void close() {
    Scheduler.Cancellable c;
    synchronized (this) {
      closed = true;
      queue.clear();
      c = queuedDrain;
      queuedDrain = null;
    }
    if (c != null) {
      c.cancel();
    }
  }

  private void drain() {
    synchronized (this) {
      queuedDrain = null;
    }
    for (int i = 0; i < BATCH; i++) {
      Sequenced<T> item;
      Throwable failure = null;
      synchronized (this) {
        if (closed) {
          drainQueued = false;
          return;
        }
        item = queue.poll();
        if (item == null) {
          drainQueued = false;
          if (failAfterDrain != null) {
            closed = true;
            failure = failAfterDrain;
          }
        }
      }
      if (item == null) {
        if (failure != null) {
          done.completeExceptionally(failure);
        }
        return;
      }
      try {
        consumer.accept(item);
      } catch (RuntimeException | Error e) {
        close();
        onConsumerFailure.accept(e);
        if (e instanceof Error) {
          throw (Error) e;
        }
        return;
      }
    }
    submit(); // more may be queued: yield the thread, keep drainQueued
  }
}

package io.keelrpc.core;

import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline and the cancellation of the call a thread is working for, carried along implicitly
 * so that calls made on its behalf inherit them. Immutable; the current context is per thread.
 *
 * <p>A Keel server attaches the context of each call around its handler: a synchronous handler
 * runs with it on its worker (or I/O) thread, an asynchronous handler while it is invoked (not in
 * the stages it completes later, which run on other threads). A Keel client reads
 * {@link #current()} when a call starts: the call's deadline is the earlier of its own and the
 * context's, so a call made from a handler never gets a longer budget than the handler's caller has
 * left; and when the context is cancelled (the handler's caller cancelled), the call is cancelled
 * too.
 *
 * <p>A thread only sees the context attached on it. Work handed to another thread takes the
 * context along with {@link #wrap(Runnable)}, {@link #wrap(Callable)} or {@link #wrap(Executor)},
 * or passes the deadline explicitly ({@code CallOptions.deadline(ctx.timeRemaining())}).
 *
 * <pre>{@code
 * server.handle(ORDER, (p, ctx) -> {
 *   // KeelContext.current() carries this call's deadline and cancellation:
 *   Stock s = inventory.call(RESERVE, p.item());        // budget <= what ORDER's caller has left
 *   KeelContext here = KeelContext.current();
 *   CompletableFuture.runAsync(() -> audit.call(LOG, p), here.wrap(pool)); // other thread too
 *   return new Order(s);
 * });
 *
 * try (KeelContext.Scope s = KeelContext.root().withDeadline(d).attach()) {
 *   client.call(GET, key);                              // capped by d
 * }
 * }</pre>
 */
public final class KeelContext {
  private static final Logger log = LoggerFactory.getLogger(KeelContext.class);
  private static final ThreadLocal<KeelContext> CURRENT = new ThreadLocal<>();
  private static final KeelContext ROOT = new KeelContext(null, null);

  private final Deadline deadline; // null: none
  private final CompletableFuture<?> cancelled; // null: never cancelled; done: cancelled

  private KeelContext(Deadline deadline, CompletableFuture<?> cancelled) {
    this.deadline = deadline;
    this.cancelled = cancelled;
  }

  /** The empty context: no deadline, never cancelled. */
  public static KeelContext root() {
    return ROOT;
  }

  /** The context attached on this thread, or {@link #root()} if none is. */
  public static KeelContext current() {
    KeelContext c = CURRENT.get();
    return c == null ? ROOT : c;
  }

  /** The deadline, or empty if there is none. */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  /**
   * The time left before the deadline, never negative; {@code Duration.ofSeconds(Long.MAX_VALUE)}
   * if there is no deadline.
   */
  public Duration timeRemaining() {
    return deadline == null ? Duration.ofSeconds(Long.MAX_VALUE) : deadline.timeRemaining();
  }

  /**
   * A deadline {@code timeout} from now on {@code ticker}, or sooner if this context's deadline
   * comes first: what a call started in this context may use. Already expired if this context's
   * deadline has passed. Compares remaining times, so the two deadlines may be on different
   * tickers.
   */
  public Deadline deadlineAfter(Duration timeout, Ticker ticker) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(ticker, "ticker");
    long nanos = Deadline.saturatedNanos(timeout);
    if (deadline != null) {
      nanos = Math.min(nanos, deadline.remainingNanos());
    }
    return Deadline.afterNanos(nanos, ticker);
  }

  /** True once the call this context belongs to was cancelled. */
  public boolean isCancelled() {
    return cancelled != null && cancelled.isDone();
  }

  /**
   * Runs {@code listener} when this context is cancelled: at once on this thread if it already is,
   * else on the thread that cancels it (for a Keel server, a connection's I/O thread: do not
   * block). Never runs if the context cannot be cancelled. A listener that throws is logged. The
   * listener is kept until the context is cancelled or unreachable, so register few (one per
   * outgoing call, as the Keel client does, is fine).
   */
  public void onCancel(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    if (cancelled == null) {
      return;
    }
    cancelled.whenComplete((r, t) -> {
      try {
        listener.run();
      } catch (RuntimeException | Error e) {
        log.warn("a cancellation listener threw", e);
      }
    });
  }

  /**
   * This context with {@code deadline} as well: the copy's deadline is the earlier of the two
   * (compared by remaining time). Its cancellation is this context's.
   */
  public KeelContext withDeadline(Deadline deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (this.deadline != null && this.deadline.remainingNanos() <= deadline.remainingNanos()) {
      return this;
    }
    return new KeelContext(deadline, cancelled);
  }

  /**
   * This context, cancelled also when {@code signal} completes (normally or not). The deadline is
   * this context's.
   */
  public KeelContext withCancellation(CompletionStage<?> signal) {
    Objects.requireNonNull(signal, "signal");
    if (cancelled == null && signal instanceof CompletableFuture<?> f) {
      return new KeelContext(deadline, f);
    }
    CompletableFuture<Void> either = new CompletableFuture<>();
    signal.whenComplete((r, t) -> either.complete(null));
    if (cancelled != null) {
      cancelled.whenComplete((r, t) -> either.complete(null));
    }
    return new KeelContext(deadline, either);
  }

  /**
   * Makes this the current context of this thread until the returned scope is closed, which
   * restores the context that was current before. Use with try-with-resources, on one thread.
   */
  public Scope attach() {
    KeelContext previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(this, previous);
  }

  /** Runs {@code task} with this context attached. */
  public void run(Runnable task) {
    Objects.requireNonNull(task, "task");
    Scope scope = attach();
    try {
      task.run();
    } finally {
      scope.close();
    }
  }

  /** Calls {@code task} with this context attached and returns its result. */
  public <T> T call(Callable<T> task) throws Exception {
    Objects.requireNonNull(task, "task");
    Scope scope = attach();
    try {
      return task.call();
    } finally {
      scope.close();
    }
  }

  /** {@code task} made to run with this context attached, on whatever thread runs it. */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> run(task);
  }

  /** {@code task} made to run with this context attached, on whatever thread calls it. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> call(task);
  }

  /** An executor that runs every task given to it with this context attached. */
  public Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  @Override
  public String toString() {
    return "KeelContext[" + (deadline == null ? "no deadline" : deadline)
        + (isCancelled() ? ", cancelled" : "") + "]";
  }

  /**
   * An attachment of a context to a thread, undone by {@link #close()}. Closing twice does
   * nothing.
   */
  public static final class Scope implements AutoCloseable {
    private final KeelContext attached;
    private final KeelContext previous;
    private boolean closed;

    private Scope(KeelContext attached, KeelContext previous) {
      this.attached = attached;
      this.previous = previous;
    }

    /** Restores the context that was current when this scope was opened. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (CURRENT.get() != attached) {
        log.debug("a KeelContext scope was closed out of order or on another thread");
      }
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}

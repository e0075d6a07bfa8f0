package io.keelrpc.client.occ.internal;

import io.keelrpc.client.occ.OccResult;
import io.keelrpc.client.occ.OccUpdate;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.client.occ.VersionedStore;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.time.Scheduler;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One logical OCC update: read, compute, write with the expected version, and the retry decision
 * after each answer (see the table on {@link io.keelrpc.client.occ.OccUpdater}).
 *
 * <p>The update is a chain of steps with at most one thing outstanding at a time: a store call or
 * a backoff wait. Steps run through a trampoline ({@link #submit(Runnable)}), one at a time and
 * never nested, whichever thread completes a store call or fires a timer — so a store whose
 * futures complete synchronously does not grow the stack with every conflict, and the step state
 * needs no lock. No lock is ever held while calling the store. The deadline timer and the
 * caller's cancellation race with the chain only through {@link #result}, which each step checks
 * before issuing a call.
 */
public final class UpdateRun<V> implements OccUpdate<V> {
  private final Settings settings;
  private final VersionedStore<V> store;
  private final String key;
  private final UnaryOperator<V> compute;
  private final Deadline deadline;
  private final String writerId;
  private final CompletableFuture<OccResult<V>> result = new CompletableFuture<>();

  private final Queue<Runnable> steps = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();

  // Step state: written only by steps, which run one at a time (see submit).
  private V pendingValue;
  private long pendingExpected;
  private int failuresInARow;
  private long previousBackoffNanos;
  private volatile int conflicts;
  private volatile int networkRetries;
  private volatile int modeSwitches;

  // Also read by the deadline timer, by cancellation and by callers.
  private volatile Throwable lastFailure;
  private volatile boolean writeUnanswered;
  private volatile Scheduler.Cancellable backoffTimer;
  private volatile Scheduler.Cancellable deadlineTimer;

  /** Creates the update; {@link #start()} runs it. */
  public UpdateRun(Settings settings, VersionedStore<V> store, String key,
      UnaryOperator<V> compute, Deadline deadline, String writerId) {
    this.settings = settings;
    this.store = store;
    this.key = key;
    this.compute = compute;
    this.deadline = deadline;
    this.writerId = writerId;
  }

  /** Arms the deadline timer and issues the first read; fails at once if the deadline passed. */
  public void start() {
    result.whenComplete((r, t) -> {
      cancel(backoffTimer);
      cancel(deadlineTimer);
    });
    long remaining = deadline.remainingNanos();
    if (remaining <= 0) {
      fail(deadlineExceeded());
      return;
    }
    Scheduler.Cancellable timer = settings.scheduler().schedule(this::onDeadline, remaining);
    deadlineTimer = timer;
    if (result.isDone()) {
      timer.cancel();
    }
    submit(this::read);
  }

  @Override
  public String writerId() {
    return writerId;
  }

  @Override
  public CompletableFuture<OccResult<V>> result() {
    return result;
  }

  @Override
  public boolean mayHaveApplied() {
    return (result.isDone() && !result.isCompletedExceptionally()) || writeUnanswered;
  }

  @Override
  public String toString() {
    return "OccUpdate{key=" + key + ", writerId=" + writerId + ", conflicts=" + conflicts
        + ", networkRetries=" + networkRetries + ", modeSwitches=" + modeSwitches + ", done="
        + result.isDone() + "}";
  }

  /** Runs {@code step} now, or after the step running on another frame or thread finishes. */
  private void submit(Runnable step) {
    steps.add(step);
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      Runnable next = steps.poll();
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        fail(e);
      }
    } while (wip.decrementAndGet() != 0);
  }

  /** True if the update is over, failing it first if its deadline has passed. */
  private boolean stopped() {
    if (result.isDone()) {
      return true;
    }
    if (deadline.isExpired()) {
      fail(deadlineExceeded());
      return true;
    }
    return false;
  }

  private void read() {
    if (stopped()) {
      return;
    }
    call(() -> store.read(key)).whenComplete((v, t) -> submit(() -> onRead(v, t)));
  }

  private void onRead(Versioned<V> read, Throwable failure) {
    if (result.isDone()) {
      return;
    }
    if (failure == null) {
      answered();
      computeAndWrite(read == null ? Versioned.absent() : read);
      return;
    }
    Throwable f = Failures.normalize(failure);
    lastFailure = f;
    switch (Failures.kind(f)) {
      case KEY_NOT_FOUND:
        answered();
        computeAndWrite(Versioned.absent());
        break;
      case NETWORK:
        networkFailure(f, this::read);
        break;
      default:
        fail(f);
    }
  }

  private void computeAndWrite(Versioned<V> current) {
    V next;
    try {
      next = compute.apply(current.exists() ? current.value() : null);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    if (next == null) {
      fail(new NullPointerException("compute returned null for key '" + key + "'"));
      return;
    }
    pendingValue = next;
    pendingExpected = current.version();
    write();
  }

  /** Sends the pending write: the first time, or again after a network failure. */
  private void write() {
    boolean wasUnanswered = writeUnanswered;
    writeUnanswered = true; // before the check: a cancel that races with the call sees "maybe"
    if (stopped()) {
      writeUnanswered = wasUnanswered;
      return;
    }
    V value = pendingValue;
    long expected = pendingExpected;
    call(() -> store.write(key, value, expected, writerId))
        .whenComplete((v, t) -> submit(() -> onWrite(v, t)));
  }

  private void onWrite(Long version, Throwable failure) {
    if (result.isDone()) {
      return;
    }
    if (failure == null) {
      if (version == null) {
        fail(new NullPointerException("the store's write of '" + key + "' returned null"));
      } else {
        succeed(version, false);
      }
      return;
    }
    Throwable f = Failures.normalize(failure);
    lastFailure = f;
    switch (Failures.kind(f)) {
      case VERSION_MISMATCH: {
        VersionMismatchException vm = (VersionMismatchException) f;
        if (vm.provesApplied(writerId)) {
          // An earlier attempt of this very write was applied; its answer was lost.
          succeed(vm.appliedVersion() != null ? vm.appliedVersion() : vm.actualVersion(), true);
        } else {
          refused();
          conflicts++;
          read();
        }
        break;
      }
      case KEY_EXISTS:
        refused();
        if (pendingExpected == 0) {
          modeSwitches++;
        }
        read();
        break;
      case KEY_NOT_FOUND:
        refused();
        if (pendingExpected > 0) {
          modeSwitches++;
        }
        computeAndWrite(Versioned.absent());
        break;
      case NETWORK:
        networkFailure(f, this::write);
        break;
      case REFUSED:
        writeUnanswered = false;
        fail(f);
        break;
      default:
        fail(f);
    }
  }

  /** The store answered: the next network failure starts a fresh count and backoff. */
  private void answered() {
    failuresInARow = 0;
    previousBackoffNanos = 0;
  }

  /**
   * The store refused the write without proving this writer id applied, so by the store contract
   * no write of this update is in the store.
   */
  private void refused() {
    answered();
    writeUnanswered = false;
  }

  private void networkFailure(Throwable f, Runnable retry) {
    if (failuresInARow >= settings.maxNetworkRetries()) {
      fail(f);
      return;
    }
    failuresInARow++;
    long delay = settings.networkBackoff()
        .backoffNanos(failuresInARow, previousBackoffNanos, settings.random().getAsDouble());
    if (f instanceof OverloadedException o) {
      delay = Math.max(delay, o.retryAfter().toNanos());
    }
    if (delay >= deadline.remainingNanos()) {
      fail(deadlineExceeded()); // waiting would end past the deadline
      return;
    }
    previousBackoffNanos = delay;
    networkRetries++;
    Scheduler.Cancellable timer = settings.scheduler().schedule(() -> submit(retry), delay);
    backoffTimer = timer;
    if (result.isDone()) {
      timer.cancel();
    }
  }

  private void succeed(long version, boolean recovered) {
    result.complete(new OccResult<>(new Versioned<>(pendingValue, version, writerId), conflicts,
        networkRetries, modeSwitches, recovered));
  }

  private void onDeadline() {
    if (!result.isDone()) {
      fail(deadlineExceeded());
    }
  }

  private DeadlineExceededException deadlineExceeded() {
    DeadlineExceededException e = new DeadlineExceededException("the OCC update of '" + key
        + "' (writer " + writerId + ") ran out of time after " + conflicts + " conflict(s) and "
        + networkRetries + " network retr" + (networkRetries == 1 ? "y" : "ies"));
    Throwable cause = lastFailure;
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private void fail(Throwable t) {
    result.completeExceptionally(t);
  }

  private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> storeCall) {
    try {
      CompletionStage<T> stage = storeCall.get();
      return stage != null ? stage
          : CompletableFuture.failedFuture(new NullPointerException("the store returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void cancel(Scheduler.Cancellable timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}

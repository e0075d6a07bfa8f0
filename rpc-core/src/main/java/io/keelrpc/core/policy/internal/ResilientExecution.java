package io.keelrpc.core.policy.internal;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.OutcomeClassifier;
import io.keelrpc.core.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One logical call run by {@code Resilience}: starts attempts from the supplier, times each out,
 * classifies how it ended and lets the {@link RetryController} decide the rest.
 *
 * <p>An attempt's outcome is claimed once, under the lock, by whichever comes first: the
 * attempt's own completion or its timer; the loser is ignored (the attempt number guards against
 * stale ones). An attempt given up on is cancelled, best effort. Classification, events and the
 * completion of the result happen outside the lock.
 *
 * @param <T> the call's result type
 */
public final class ResilientExecution<T> {
  private final String name;
  private final Deadline deadline;
  private final long perAttemptNanos;
  private final Scheduler scheduler;
  private final OutcomeClassifier<? super T> classifier;
  private final Supplier<? extends CompletionStage<T>> attempt;
  private final RetryController retries;
  private final CompletableFuture<T> result = new CompletableFuture<>();

  // guarded by this
  private int current; // the attempt in flight, 0 if none
  private Future<?> inFlight;
  private Scheduler.Cancellable timer;
  private Throwable lastFailure;

  /**
   * An execution; nothing runs before {@link #start()}.
   *
   * @param perAttemptNanos the longest an attempt may take ({@link Long#MAX_VALUE} for none);
   *     always capped by what is left of {@code deadline}
   */
  public ResilientExecution(String name, Deadline deadline, long perAttemptNanos,
      Scheduler scheduler, OutcomeClassifier<? super T> classifier,
      Supplier<? extends CompletionStage<T>> attempt, RetryController retries) {
    this.name = name;
    this.deadline = deadline;
    this.perAttemptNanos = perAttemptNanos;
    this.scheduler = scheduler;
    this.classifier = classifier;
    this.attempt = attempt;
    this.retries = retries;
  }

  /** Starts the first attempt on this thread; returns the call's result. */
  public CompletableFuture<T> start() {
    result.whenComplete((r, t) -> cleanUp());
    startAttempt();
    return result;
  }

  private void startAttempt() {
    int n = 0;
    DeadlineExceededException expired = null;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      long remaining = deadline.remainingNanos();
      if (remaining > 0) {
        n = retries.beginAttempt();
        current = n;
        long attemptNanos = Math.min(perAttemptNanos, remaining);
        int m = n;
        timer = scheduler.schedule(() -> onTimer(m, attemptNanos), attemptNanos);
      } else {
        expired = deadlineExceeded(retries.attempts());
      }
    }
    if (expired != null) {
      retries.giveUpBeforeAttempt();
      result.completeExceptionally(expired);
      return;
    }
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(attempt.get(), "the attempt supplier returned null");
    } catch (RuntimeException e) {
      settle(n, null, e, false);
      return;
    }
    if (stage instanceof Future<?> f) {
      synchronized (this) {
        if (current == n) {
          inFlight = f;
        }
      }
    }
    int m = n;
    stage.whenComplete((r, t) -> settle(m, r, t, false));
  }

  private void onTimer(int n, long attemptNanos) {
    Throwable failure;
    synchronized (this) {
      if (result.isDone() || current != n) {
        return;
      }
      failure = deadline.isExpired() ? deadlineExceeded(n)
          : new AttemptTimeoutException(Duration.ofNanos(attemptNanos));
    }
    settle(n, null, failure, true);
  }

  private void settle(int n, T value, Throwable failure, boolean timedOut) {
    Throwable cause = unwrap(failure);
    Future<?> abandoned;
    synchronized (this) {
      if (result.isDone() || current != n) {
        return; // stale: the attempt's timer or its completion came first
      }
      current = 0;
      cancelTimer();
      abandoned = timedOut ? inFlight : null;
      inFlight = null;
      if (cause != null && !(cause instanceof DeadlineExceededException)) {
        lastFailure = cause;
      }
    }
    if (abandoned != null) {
      abandoned.cancel(true); // its completion is now stale and ignored
    }
    Outcome outcome;
    try {
      outcome = Objects.requireNonNull(classifier.classify(cause == null ? value : null, cause),
          "the classifier returned null");
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    RetryController.Decision d = retries.onOutcome(outcome, cause == null ? value : null, cause);
    if (d.action() == RetryController.Action.RETRY) {
      synchronized (this) {
        if (!result.isDone()) {
          timer = scheduler.schedule(this::startAttempt, d.delayNanos());
        }
      }
    } else if (cause == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(cause);
    }
  }

  /** The failure for a spent deadline, with the last attempt's failure as its cause; lock held. */
  private DeadlineExceededException deadlineExceeded(int attempts) {
    DeadlineExceededException e = new DeadlineExceededException("deadline exceeded after "
        + attempts + " attempt(s) of \"" + name + "\"");
    if (lastFailure != null) {
      e.initCause(lastFailure);
    }
    return e;
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void cleanUp() {
    Future<?> abandoned;
    synchronized (this) {
      current = 0;
      cancelTimer();
      abandoned = inFlight;
      inFlight = null;
    }
    if (abandoned != null) {
      abandoned.cancel(true); // the caller cancelled the call
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

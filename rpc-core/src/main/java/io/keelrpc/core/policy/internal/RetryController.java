package io.keelrpc.core.policy.internal;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.ConnectionErrorEvent;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetriesExhaustedEvent.Reason;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.ServerErrorEvent;
import io.keelrpc.core.policy.SlowResponseEvent;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.policy.TimeoutEvent;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The retry decisions and the events of one logical call, shared by {@code Resilience} and the
 * Keel client so that both follow one set of rules. The caller owns the transport: it calls
 * {@link #beginAttempt()} when an attempt starts and {@link #onOutcome} once when it ends, and
 * acts on the returned {@link Decision}: complete the call, schedule the next attempt after
 * {@link Decision#delayNanos()}, or give up with the last failure.
 *
 * <p>After a failure (server error, timeout, connection error) the call stops, in this order, if
 * the failure is not retryable for this call, the deadline has passed, {@code maxAttempts} were
 * made, the {@link RetryBudget} is spent, or the next wait — the policy's jittered backoff, at
 * least the peer's retry-after — would end at or after the deadline. Otherwise it retries.
 *
 * <p>Budget accounting: each failed attempt takes a token, each answered one (success or client
 * error) puts some back. Events are built only for a listener that is not a no-op, and fired after
 * the controller's lock is released. Thread-safe, though a call normally reports one attempt at a
 * time.
 */
public final class RetryController {
  /** What the caller does after an attempt. */
  public enum Action {
    /** The call is done with this attempt's answer (success or client error). */
    COMPLETE,
    /** Start the next attempt after {@link Decision#delayNanos()}. */
    RETRY,
    /** The call failed for good with this attempt's failure; see {@link Decision#reason()}. */
    GIVE_UP
  }

  /**
   * The decision after an attempt.
   *
   * @param action what to do
   * @param delayNanos the wait before the next attempt (only for {@link Action#RETRY})
   * @param reason why the call gives up (only for {@link Action#GIVE_UP})
   */
  public record Decision(Action action, long delayNanos, Reason reason) {
    static final Decision COMPLETE = new Decision(Action.COMPLETE, 0, null);
  }

  private final String name;
  private final Deadline deadline;
  private final RetryPolicy policy;
  private final RetryBudget budget;
  private final CallListener listener;
  private final boolean listening;
  private final long slowNanos;
  private final Ticker ticker;
  private final DoubleSupplier random;
  private final long callStartNanos;

  // guarded by this
  private int attempt;
  private boolean ended;
  private long attemptStartNanos;
  private long previousBackoffNanos;
  private Outcome last;

  /**
   * A controller for one call.
   *
   * @param name the call's name in events (method or URL)
   * @param deadline the whole call's deadline
   * @param policy attempts and backoff
   * @param budget the shared retry budget ({@link RetryBudget#unlimited()} for none)
   * @param listener the call's listener; one that throws is logged and ignored (pass a
   *     {@code CallListener.composite} built once to save the wrapping per call)
   * @param slowThreshold successes slower than this also fire a slow-response event
   * @param ticker the clock of {@code deadline}, used to measure latency
   * @param random uniform numbers in [0, 1) for jitter
   */
  public RetryController(String name, Deadline deadline, RetryPolicy policy, RetryBudget budget,
      CallListener listener, Duration slowThreshold, Ticker ticker, DoubleSupplier random) {
    this.name = name;
    this.deadline = deadline;
    this.policy = policy;
    this.budget = budget;
    this.listener = listener instanceof CompositeCallListener ? listener
        : CallListener.composite(listener);
    this.listening = !CompositeCallListener.isNoop(this.listener);
    this.slowNanos = slowThreshold.toNanos();
    this.ticker = ticker;
    this.random = random;
    this.callStartNanos = ticker.nanoTime();
  }

  /** Starts the next attempt's clock; returns its number, from 1. */
  public synchronized int beginAttempt() {
    attemptStartNanos = ticker.nanoTime();
    return ++attempt;
  }

  /** The attempts begun so far. */
  public synchronized int attempts() {
    return attempt;
  }

  /**
   * Records how the current attempt ended, fires its events and decides what comes next.
   *
   * @param outcome the attempt's classified outcome
   * @param result the attempt's value if it produced one (for the events), else null
   * @param error the attempt's failure if it failed (for the events), else null
   */
  public Decision onOutcome(Outcome outcome, Object result, Throwable error) {
    CallEvent first;
    CallEvent second = null;
    Decision decision;
    Duration callDuration = null;
    synchronized (this) {
      int n = attempt;
      Duration latency = Duration.ofNanos(ticker.nanoTime() - attemptStartNanos);
      Outcome.Kind kind = outcome.kind();
      last = outcome;
      if (kind.isFailure()) {
        budget.onFailure();
      } else {
        budget.onSuccess();
      }
      first = listening ? outcomeEvent(n, outcome, latency, result, error) : null;
      if (!kind.isFailure()) {
        if (listening && kind == Outcome.Kind.SUCCESS && latency.toNanos() > slowNanos) {
          second = new SlowResponseEvent(name, n, latency, Duration.ofNanos(slowNanos));
        }
        decision = Decision.COMPLETE;
      } else {
        decision = decide(n, outcome);
        if (listening) {
          second = decision.action() == Action.RETRY
              ? new RetryEvent(name, n + 1, Duration.ofNanos(decision.delayNanos()), kind)
              : exhausted(n, outcome, decision.reason());
        }
      }
      if (decision.action() != Action.RETRY) {
        callDuration = end();
      }
    }
    fire(first);
    fire(second);
    if (callDuration != null) {
      listener.onCallEnd(name, outcome.kind(), callDuration);
    }
    return decision;
  }

  /**
   * True if failure {@code o} of the current attempt would be given up on only because the retry
   * budget is spent: it is retryable, the deadline is ahead and attempts are left. Nothing is
   * recorded; a caller whose attempt may still be answered (an attempt timeout) can keep waiting
   * for it instead of ending the call.
   */
  public synchronized boolean onlyTheBudgetStops(Outcome o) {
    return stopReason(attempt, o, budget.allowsRetryAfterFailure()) == Reason.BUDGET;
  }

  /**
   * The deadline passed before the next attempt could start: the call gives up. Fires
   * retries-exhausted with reason {@link Reason#DEADLINE}.
   */
  public Decision giveUpBeforeAttempt() {
    RetriesExhaustedEvent event;
    Outcome o;
    Duration callDuration;
    synchronized (this) {
      o = last != null ? last : Outcome.timeout("the deadline passed before the first "
          + "attempt");
      event = listening ? exhausted(attempt, o, Reason.DEADLINE) : null;
      callDuration = end();
    }
    fire(event);
    if (callDuration != null) {
      listener.onCallEnd(name, o.kind(), callDuration);
    }
    return new Decision(Action.GIVE_UP, 0, Reason.DEADLINE);
  }

  /**
   * Marks the call ended; its duration for {@link CallListener#onCallEnd}, or null if it already
   * ended or nobody listens. Lock held.
   */
  private Duration end() {
    if (ended || !listening) {
      return null;
    }
    ended = true;
    return Duration.ofNanos(ticker.nanoTime() - callStartNanos);
  }

  /** After failure {@code o} of attempt {@code n}: retry after a wait, or why not; lock held. */
  private Decision decide(int n, Outcome o) {
    Reason stop = stopReason(n, o, budget.allowsRetry());
    long delay = 0;
    if (stop == null) {
      delay = Math.max(policy.backoffNanos(n, previousBackoffNanos, random.getAsDouble()),
          saturatedNanos(o.retryAfter()));
      if (delay >= deadline.remainingNanos()) {
        stop = Reason.DEADLINE; // waiting would pass the deadline
      }
    }
    if (stop != null) {
      return new Decision(Action.GIVE_UP, 0, stop);
    }
    previousBackoffNanos = delay;
    return new Decision(Action.RETRY, delay, null);
  }

  /**
   * Why failure {@code o} of attempt {@code n} may not be retried, before any backoff is drawn,
   * or null if it may; {@code budgetAllows} is the budget's answer. Lock held.
   */
  private Reason stopReason(int n, Outcome o, boolean budgetAllows) {
    if (!o.retryable()) {
      return deadline.isExpired() ? Reason.DEADLINE : Reason.NOT_RETRYABLE;
    } else if (deadline.isExpired()) {
      return Reason.DEADLINE;
    } else if (n >= policy.maxAttempts()) {
      return Reason.MAX_ATTEMPTS;
    } else if (!budgetAllows) {
      return Reason.BUDGET;
    }
    return null;
  }

  private CallEvent outcomeEvent(int n, Outcome o, Duration latency, Object result,
      Throwable error) {
    Object value = error == null ? result : null;
    switch (o.kind()) {
      case SUCCESS:
        return new SuccessEvent(name, n, o.code(), latency, value);
      case CLIENT_ERROR:
        return new ClientErrorEvent(name, n, o.code(), o.message(), latency, value, error);
      case SERVER_ERROR:
        return new ServerErrorEvent(name, n, o.code(), o.message(), latency, o.retryable(), value,
            error);
      case TIMEOUT:
        return new TimeoutEvent(name, n, latency, o.message(), o.retryable(), error);
      case CONNECTION_ERROR:
        return new ConnectionErrorEvent(name, n, o.message(), latency, o.retryable(), error);
      default:
        throw new AssertionError(o.kind());
    }
  }

  private RetriesExhaustedEvent exhausted(int n, Outcome o, Reason reason) {
    return new RetriesExhaustedEvent(name, n, o.kind(), o.code(), o.message(), reason);
  }

  private void fire(CallEvent event) {
    if (event != null) {
      CallListener.dispatch(listener, event);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}

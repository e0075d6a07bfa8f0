package io.keelrpc.core.policy;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.policy.internal.PolicyScheduler;
import io.keelrpc.core.policy.internal.ResilientExecution;
import io.keelrpc.core.policy.internal.RetryController;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Keel's retry machinery around any asynchronous call: the same deadline, per-attempt timeout,
 * {@link RetryPolicy} (jittered exponential backoff), {@link RetryBudget} and {@link CallListener}
 * events that {@code KeelClient} applies to Keel calls, for an HTTP request, a database query or
 * anything that returns a {@link CompletionStage}. Immutable and thread-safe; build once, share.
 *
 * <pre>{@code
 * Resilience resilience = Resilience.builder()
 *     .retryPolicy(RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(100))
 *         .build())
 *     .perAttemptTimeout(Duration.ofSeconds(2))
 *     .deadline(Duration.ofSeconds(10))
 *     .listener(JsonLinesCallLog.toFile(Path.of("fetch.jsonl")).fieldNames(FieldNames.HTTP)
 *         .build())
 *     .build();
 * CompletableFuture<HttpResponse<String>> page = resilience.execute(url, httpClassifier,
 *     () -> http.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), ofString()));
 * }</pre>
 *
 * <p>How one call runs: each attempt is started from the supplier and may take at most the
 * per-attempt timeout, capped by what is left of the deadline; an attempt that runs out of time
 * is cancelled (best effort) and counts as a timeout. The classifier turns each attempt's value
 * or failure into an {@link Outcome}. After a retryable failure the call waits the policy's
 * jittered backoff (at least the outcome's retry-after) and tries again — unless
 * {@code maxAttempts} were made, the budget is spent, or the wait would end at or after the
 * deadline: it never sleeps past the deadline. Attempts after the first start on the scheduler's
 * thread.
 *
 * <p>The returned future completes with the value of the last attempt (also when the classifier
 * called that value an error, e.g. an HTTP 404, so the caller can read it), or exceptionally with
 * the last attempt's failure, or with a {@link DeadlineExceededException} (whose cause is the
 * previous attempt's failure) when the deadline passes during an attempt. Cancelling it cancels
 * the attempt in flight and any pending retry.
 */
public final class Resilience {
  /** Default {@link Builder#deadline(Duration)}: 10 s per call. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
  /** Default {@link Builder#slowCallThreshold(Duration)}: 500 ms, as in seed {@code 001}. */
  public static final Duration DEFAULT_SLOW_CALL_THRESHOLD = Duration.ofMillis(500);

  private final RetryPolicy retryPolicy;
  private final RetryBudget retryBudget;
  private final Duration perAttemptTimeout;
  private final Duration deadline;
  private final CallListener listener;
  private final Duration slowCallThreshold;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final DoubleSupplier random;

  private Resilience(Builder b) {
    this.retryPolicy = b.retryPolicy;
    this.retryBudget = b.retryBudget != null ? b.retryBudget : RetryBudget.ofDefaults();
    this.perAttemptTimeout = b.perAttemptTimeout;
    this.deadline = b.deadline;
    this.listener = CallListener.composite(b.listeners);
    this.slowCallThreshold = b.slowCallThreshold;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler != null ? b.scheduler : PolicyScheduler.shared();
    this.random = b.random;
  }

  /** A builder with the defaults documented on each option. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code attempt} with retries; every value is a success and failures are classified by
   * {@link OutcomeClassifier#defaults(boolean) OutcomeClassifier.defaults(true)}: the call is
   * taken to be idempotent, since it was handed over to be retried.
   *
   * @param name the call's name in events and logs
   */
  public <T> CompletableFuture<T> execute(String name,
      Supplier<? extends CompletionStage<T>> attempt) {
    return execute(name, OutcomeClassifier.defaults(true), attempt);
  }

  /**
   * Runs {@code attempt} with retries under the default deadline.
   *
   * @param name the call's name in events and logs (a URL, a method)
   * @param classifier what each attempt's value or failure means
   * @param attempt starts one attempt; called once per attempt
   */
  public <T> CompletableFuture<T> execute(String name, OutcomeClassifier<? super T> classifier,
      Supplier<? extends CompletionStage<T>> attempt) {
    return execute(name, Deadline.after(deadline, ticker), classifier, attempt);
  }

  /**
   * Runs {@code attempt} with retries under {@code deadline}, which must be on this instance's
   * ticker (for example the remaining budget of a caller).
   *
   * @param name the call's name in events and logs (a URL, a method)
   * @param deadline the whole call's deadline
   * @param classifier what each attempt's value or failure means
   * @param attempt starts one attempt; called once per attempt
   */
  public <T> CompletableFuture<T> execute(String name, Deadline deadline,
      OutcomeClassifier<? super T> classifier, Supplier<? extends CompletionStage<T>> attempt) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(classifier, "classifier");
    Objects.requireNonNull(attempt, "attempt");
    RetryController retries = new RetryController(name, deadline, retryPolicy, retryBudget,
        listener, slowCallThreshold, ticker, random);
    long perAttemptNanos = perAttemptTimeout == null ? Long.MAX_VALUE
        : perAttemptTimeout.toNanos();
    return new ResilientExecution<T>(name, deadline, perAttemptNanos, scheduler, classifier,
        attempt, retries).start();
  }

  /** The retry policy. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** The retry budget every call of this instance shares. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The default whole-call budget. */
  public Duration deadline() {
    return deadline;
  }

  /** The per-attempt timeout, or {@code null} if attempts may use the whole deadline. */
  public Duration perAttemptTimeout() {
    return perAttemptTimeout;
  }

  /** The latency above which a success also fires a slow-response event. */
  public Duration slowCallThreshold() {
    return slowCallThreshold;
  }

  /** Configures a {@link Resilience}. Each setter validates its argument at once. */
  public static final class Builder {
    private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    private RetryBudget retryBudget;
    private Duration perAttemptTimeout;
    private Duration deadline = DEFAULT_DEADLINE;
    private final List<CallListener> listeners = new ArrayList<>();
    private Duration slowCallThreshold = DEFAULT_SLOW_CALL_THRESHOLD;
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** Attempts and backoff (default {@link RetryPolicy#ofDefaults()}: 4 attempts from 50 ms). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The retry budget shared by every call of the instance (default: a new
     * {@link RetryBudget#ofDefaults()} per instance). Pass one budget to several instances (or
     * clients) to throttle them together, or {@link RetryBudget#unlimited()} for none.
     */
    public Builder retryBudget(RetryBudget budget) {
      this.retryBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * The longest one attempt may take (default none: an attempt may use what is left of the
     * deadline, so a hung attempt is never retried). Capped by what is left of the deadline.
     */
    public Builder perAttemptTimeout(Duration timeout) {
      this.perAttemptTimeout = positive("perAttemptTimeout", timeout);
      return this;
    }

    /** The default budget of a whole call, every attempt and wait included (default 10 s). */
    public Builder deadline(Duration deadline) {
      this.deadline = positive("deadline", deadline);
      return this;
    }

    /** Adds a listener; may be called several times (default none: no events are built). */
    public Builder listener(CallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Successes slower than this also fire {@link CallListener#onSlowResponse} (default 500 ms).
     */
    public Builder slowCallThreshold(Duration threshold) {
      this.slowCallThreshold = positive("slowCallThreshold", threshold);
      return this;
    }

    /** The time source for deadlines and latencies (default the system ticker). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where timeouts and retries are scheduled (default one shared daemon thread). Pass the same
     * fake as {@link #ticker(Ticker)} to run on virtual time.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Uniform numbers in [0, 1) for jitter (default thread-local random). */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The configured instance. */
    public Resilience build() {
      return new Resilience(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}

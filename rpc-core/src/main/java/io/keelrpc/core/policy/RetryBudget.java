package io.keelrpc.core.policy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A retry throttle shared by many calls: a token bucket, as gRPC's {@code retryThrottling}. It
 * starts full with {@code maxTokens}; every failed attempt (server error, timeout, connection
 * error) takes one token, every answered attempt (success or client error) puts back
 * {@code tokenRatio}, never above {@code maxTokens}. Retries are allowed only while more than
 * {@code maxTokens / 2} tokens are left; first attempts are never held back.
 *
 * <p>What it bounds: against a server that fails everything, a client makes at most about
 * {@code maxTokens / 2} retries in all (then every call is a single attempt), instead of
 * {@code maxAttempts - 1} retries per call — the retry storm that turns an overloaded server
 * into a dead one. In steady state, retries are at most about {@code tokenRatio} per success; while
 * fewer than {@code tokenRatio / (1 + tokenRatio)} of attempts fail, the bucket stays full on
 * average and retries are throttled only by unlucky runs of failures.
 *
 * <p>Thread-safe and lock-free: tokens are counted in thousandths in one atomic integer.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.builder().maxTokens(20).tokenRatio(0.5).build();
 * KeelClient a = KeelClient.builder().endpoint(host, port).retryBudget(budget).build();
 * Resilience b = Resilience.builder().retryBudget(budget).build();   // one budget, two callers
 * }</pre>
 */
public final class RetryBudget {
  /**
   * Default {@link Builder#maxTokens(int)}: 20, so at most about 10 retries in a row against a
   * server that fails everything.
   */
  public static final int DEFAULT_MAX_TOKENS = 20;
  /**
   * Default {@link Builder#tokenRatio(double)}: 0.5, so retries stay below one per two successes,
   * and a failure rate below a third of attempts leaves the bucket full on average.
   */
  public static final double DEFAULT_TOKEN_RATIO = 0.5;
  /** Largest {@link Builder#maxTokens(int)}, as in gRPC. */
  public static final int MAX_MAX_TOKENS = 1000;

  private static final int SCALE = 1000;
  private static final RetryBudget UNLIMITED = new RetryBudget(0, 0, true);

  private final int maxMilli;
  private final int ratioMilli;
  private final int thresholdMilli;
  private final boolean unlimited;
  private final AtomicInteger milliTokens;

  private RetryBudget(int maxTokens, int ratioMilli, boolean unlimited) {
    this.maxMilli = maxTokens * SCALE;
    this.ratioMilli = ratioMilli;
    this.thresholdMilli = maxMilli / 2;
    this.unlimited = unlimited;
    this.milliTokens = new AtomicInteger(maxMilli);
  }

  /** A new, full budget with the defaults (20 tokens, ratio 0.5). Each call returns a new one. */
  public static RetryBudget ofDefaults() {
    return builder().build();
  }

  /** A budget that never holds a retry back: what clients had before budgets. */
  public static RetryBudget unlimited() {
    return UNLIMITED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** True if a retry may be made now: more than half of {@code maxTokens} is left. */
  public boolean allowsRetry() {
    return unlimited || milliTokens.get() > thresholdMilli;
  }

  /**
   * True if a retry would still be allowed after one more failed attempt were recorded: what
   * {@link #allowsRetry()} would answer after {@link #onFailure()}, without recording anything.
   */
  public boolean allowsRetryAfterFailure() {
    return unlimited || milliTokens.get() - SCALE > thresholdMilli;
  }

  /** Records an answered attempt (success or client error): puts back {@code tokenRatio}. */
  public void onSuccess() {
    if (unlimited) {
      return;
    }
    int t;
    do {
      t = milliTokens.get();
      if (t >= maxMilli) {
        return;
      }
    } while (!milliTokens.compareAndSet(t, Math.min(maxMilli, t + ratioMilli)));
  }

  /** Records a failed attempt (server error, timeout, connection error): takes one token. */
  public void onFailure() {
    if (unlimited) {
      return;
    }
    int t;
    do {
      t = milliTokens.get();
      if (t <= 0) {
        return;
      }
    } while (!milliTokens.compareAndSet(t, Math.max(0, t - SCALE)));
  }

  /** The tokens left, to three decimals ({@code Double.POSITIVE_INFINITY} if unlimited). */
  public double tokens() {
    return unlimited ? Double.POSITIVE_INFINITY : milliTokens.get() / (double) SCALE;
  }

  /** The bucket's size ({@code Double.POSITIVE_INFINITY} if unlimited). */
  public double maxTokens() {
    return unlimited ? Double.POSITIVE_INFINITY : maxMilli / (double) SCALE;
  }

  /** The tokens an answered attempt puts back (0 if unlimited). */
  public double tokenRatio() {
    return ratioMilli / (double) SCALE;
  }

  @Override
  public String toString() {
    return unlimited ? "RetryBudget.unlimited()"
        : "RetryBudget{tokens=" + tokens() + ", maxTokens=" + maxTokens() + ", tokenRatio="
            + tokenRatio() + "}";
  }

  /** Builds a {@link RetryBudget}; each setter validates its argument at once. */
  public static final class Builder {
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private double tokenRatio = DEFAULT_TOKEN_RATIO;

    private Builder() {}

    /**
     * The bucket's size (default {@value RetryBudget#DEFAULT_MAX_TOKENS}); retries stop below half
     * of it.
     *
     * @throws IllegalArgumentException unless {@code 1 <= maxTokens <= 1000}
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens <= 0) {
        throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: > 0)");
      }
      if (maxTokens > MAX_MAX_TOKENS) {
        throw new IllegalArgumentException(
            "maxTokens: " + maxTokens + " (expected: <= " + MAX_MAX_TOKENS + ")");
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * The tokens each answered attempt puts back (default
     * {@value RetryBudget#DEFAULT_TOKEN_RATIO}); kept to three decimals.
     *
     * @throws IllegalArgumentException unless {@code 0.001 <= tokenRatio <= 1}
     */
    public Builder tokenRatio(double tokenRatio) {
      if (!(tokenRatio >= 0.001 && tokenRatio <= 1.0)) {
        throw new IllegalArgumentException(
            "tokenRatio: " + tokenRatio + " (expected: 0.001..1)");
      }
      this.tokenRatio = tokenRatio;
      return this;
    }

    /** A new, full budget. */
    public RetryBudget build() {
      return new RetryBudget(maxTokens, (int) Math.round(tokenRatio * SCALE), false);
    }
  }
}

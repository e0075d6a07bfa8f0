package io.keelrpc.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How many times a call is attempted and how long to wait between attempts: exponential backoff
 * with jitter. Immutable; build one with {@link #builder()}.
 *
 * <p>The wait before retry {@code n} (n = 1 for the second attempt) is
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, randomised by the {@link Jitter}.
 * The client never sleeps past the call's deadline and waits at least a server's
 * {@code retryAfterMs}. Which failures are retried is decided by the failure's
 * {@link io.keelrpc.core.RetrySafety}, not by this policy.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(4)                       // the first call and 3 retries
 *     .initialBackoff(Duration.ofMillis(50))
 *     .jitter(Jitter.full())
 *     .build();
 * }</pre>
 */
public final class RetryPolicy {
  /** Default {@link Builder#maxAttempts(int)}: 4, the first call and three retries. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  /** Default {@link Builder#initialBackoff(Duration)}: 50 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
  /** Default {@link Builder#multiplier(double)}: 2.0. */
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** Default {@link Builder#maxBackoff(Duration)}: 5 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NO_RETRIES = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final double multiplier;
  private final long maxBackoffNanos;
  private final Jitter jitter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoffNanos = saturatedNanos(b.initialBackoff);
    this.multiplier = b.multiplier;
    this.maxBackoffNanos = saturatedNanos(b.maxBackoff);
    this.jitter = b.jitter;
  }

  /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} (292 years) if longer: unbounded. */
  private static long saturatedNanos(Duration d) {
    return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
  }

  /** The defaults: 4 attempts, 50 ms initial backoff, multiplier 2, max 5 s, full jitter. */
  public static RetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A policy that makes one attempt and never retries. */
  public static RetryPolicy noRetries() {
    return NO_RETRIES;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(Duration.ofNanos(initialBackoffNanos))
        .multiplier(multiplier)
        .maxBackoff(Duration.ofNanos(maxBackoffNanos))
        .jitter(jitter);
  }

  /** Attempts in all, including the first call. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The base wait before the first retry. */
  public Duration initialBackoff() {
    return Duration.ofNanos(initialBackoffNanos);
  }

  /** The factor the base wait grows by per retry. */
  public double multiplier() {
    return multiplier;
  }

  /** The longest wait between two attempts. */
  public Duration maxBackoff() {
    return Duration.ofNanos(maxBackoffNanos);
  }

  /** The randomisation applied to each wait. */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * The wait before retry number {@code retry} (1 = before the second attempt), in nanoseconds.
   *
   * @param retry 1 for the first retry
   * @param previousNanos the previous wait (used by decorrelated jitter; 0 before the first)
   * @param random a uniform number in {@code [0, 1)}
   */
  public long backoffNanos(int retry, long previousNanos, double random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry: " + retry + " (expected: >= 1)");
    }
    double base = initialBackoffNanos * Math.pow(multiplier, retry - 1);
    long capped = (long) Math.min(maxBackoffNanos, base);
    return jitter.apply(capped, previousNanos, initialBackoffNanos, maxBackoffNanos, random);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff()
        + ", multiplier=" + multiplier + ", maxBackoff=" + maxBackoff() + ", jitter=" + jitter
        + "}";
  }

  /** Builds a {@link RetryPolicy}; each setter validates its argument at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Jitter jitter = Jitter.full();

    private Builder() {}

    /** Attempts in all including the first call (default 4); 1 disables retries. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The base wait before the first retry (default 50 ms); zero retries at once. */
    public Builder initialBackoff(Duration initialBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      if (initialBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "initialBackoff: " + initialBackoff + " (expected: >= 0)");
      }
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** The growth factor per retry (default 2.0); 1.0 keeps the wait constant. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1.0)");
      }
      this.multiplier = multiplier;
      return this;
    }

    /** The longest wait between two attempts (default 5 s); must be at least the initial backoff. */
    public Builder maxBackoff(Duration maxBackoff) {
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxBackoff.isNegative()) {
        throw new IllegalArgumentException("maxBackoff: " + maxBackoff + " (expected: >= 0)");
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** The randomisation of each wait (default {@link Jitter#full()}). */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException if maxBackoff is shorter than initialBackoff
     */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
      }
      return new RetryPolicy(this);
    }
  }
}

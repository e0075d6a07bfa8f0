package io.keelrpc.core.fault;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a delayed message is held: a fixed time, a uniform draw between two bounds, or an
 * exponential draw around a mean. Immutable; create one with {@link #fixed}, {@link #uniform} or
 * {@link #exponential}.
 *
 * <p>The draw is not random: the {@link FaultInjector} maps the same seeded hash that decided
 * <em>whether</em> to delay (with its own salt) to a number {@code u} in {@code [0, 1)} and asks
 * {@link #sample(double)} for the delay, so a seed replays the same delays too.
 *
 * <pre>{@code
 * Delay.fixed(Duration.ofMillis(5));
 * Delay.uniform(Duration.ofMillis(1), Duration.ofMillis(20));
 * Delay.exponential(Duration.ofMillis(10));   // mean 10 ms, a long tail
 * }</pre>
 */
public final class Delay {
  /** The longest delay (fixed, either bound, or mean) accepted: 1 hour. */
  public static final Duration MAX = Duration.ofHours(1);

  private static final Delay NONE = new Delay(Kind.FIXED, 0, 0);

  /** The shape of the distribution. */
  public enum Kind {
    /** Always the same delay. */
    FIXED,
    /** Uniform between a minimum and a maximum. */
    UNIFORM,
    /** Exponential with a mean: mostly short, sometimes long. */
    EXPONENTIAL
  }

  private final Kind kind;
  private final long aNanos; // fixed: the delay; uniform: min; exponential: mean
  private final long bNanos; // uniform: max; otherwise 0

  private Delay(Kind kind, long aNanos, long bNanos) {
    this.kind = kind;
    this.aNanos = aNanos;
    this.bNanos = bNanos;
  }

  /** No delay: {@code fixed(Duration.ZERO)}, what a {@link FaultRule} without a delay reports. */
  static Delay none() {
    return NONE;
  }

  /**
   * Always {@code delay}.
   *
   * @throws IllegalArgumentException if {@code delay} is negative or above {@link #MAX}
   */
  public static Delay fixed(Duration delay) {
    return new Delay(Kind.FIXED, checked("delay", delay), 0);
  }

  /**
   * Uniform in {@code [min, max]}.
   *
   * @throws IllegalArgumentException if a bound is negative or above {@link #MAX}, or
   *     {@code max < min}
   */
  public static Delay uniform(Duration min, Duration max) {
    long lo = checked("min", min);
    long hi = checked("max", max);
    if (hi < lo) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= min " + min + ")");
    }
    return new Delay(Kind.UNIFORM, lo, hi);
  }

  /**
   * Exponentially distributed with mean {@code mean} (unbounded above; a draw exceeds 10 x the
   * mean about once in 22 000).
   *
   * @throws IllegalArgumentException if {@code mean} is negative or above {@link #MAX}
   */
  public static Delay exponential(Duration mean) {
    return new Delay(Kind.EXPONENTIAL, checked("mean", mean), 0);
  }

  private static long checked(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: 0.." + MAX + ")");
    }
    return d.toNanos();
  }

  /** The shape of the distribution. */
  public Kind kind() {
    return kind;
  }

  /** The fixed delay, the uniform minimum, or the exponential mean. */
  public Duration first() {
    return Duration.ofNanos(aNanos);
  }

  /** The uniform maximum; {@link Duration#ZERO} for the other kinds. */
  public Duration second() {
    return Duration.ofNanos(bNanos);
  }

  /**
   * The delay for the uniform number {@code u} in {@code [0, 1)}: a pure function, so equal
   * {@code u} give equal delays.
   *
   * @throws IllegalArgumentException if {@code u} is outside {@code [0, 1)}
   */
  public Duration sample(double u) {
    return Duration.ofNanos(sampleNanos(u));
  }

  /** {@link #sample(double)} in nanoseconds. */
  public long sampleNanos(double u) {
    if (!(u >= 0 && u < 1)) {
      throw new IllegalArgumentException("u: " + u + " (expected: [0, 1))");
    }
    switch (kind) {
      case FIXED:
        return aNanos;
      case UNIFORM:
        return aNanos + (long) (u * (bNanos - aNanos));
      default:
        return (long) (-aNanos * Math.log1p(-u));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Delay d && kind == d.kind && aNanos == d.aNanos && bNanos == d.bNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, aNanos, bNanos);
  }

  @Override
  public String toString() {
    switch (kind) {
      case FIXED:
        return "fixed(" + first() + ")";
      case UNIFORM:
        return "uniform(" + first() + ".." + second() + ")";
      default:
        return "exponential(mean " + first() + ")";
    }
  }
}

package io.keelrpc.examples.lab;

import io.keelrpc.core.fault.Delay;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * How long the lab server takes to serve one execution: a fixed base, plus an exponentially
 * distributed extra whose mean is {@code jitter x base} (most executions a little over the base,
 * a few well over it), and with probability {@code tailProbability} the whole time multiplied by
 * {@code tailMultiplier} (a GC pause, a cold cache, a slow disk). The distributions are Keel's
 * fault-injection {@link Delay}s.
 *
 * <p>With the defaults (jitter 0.1, tail 1% x3) a base of 50 ms gives a median of about 53 ms, a
 * p95 about 66 ms, and one execution in a hundred of 150 ms or more.
 *
 * @param base the fixed part of every execution
 * @param jitter the mean of the exponential extra, as a fraction of {@code base} (0: none)
 * @param tailProbability the chance that an execution is a slow one (0..1)
 * @param tailMultiplier how much slower a slow execution is (at least 1)
 */
public record DelayModel(Duration base, double jitter, double tailProbability,
    double tailMultiplier) {
  /** Default {@link #jitter()}: 0.1. */
  public static final double DEFAULT_JITTER = 0.1;
  /** Default {@link #tailProbability()}: 0.01. */
  public static final double DEFAULT_TAIL_PROBABILITY = 0.01;
  /** Default {@link #tailMultiplier()}: 3. */
  public static final double DEFAULT_TAIL_MULTIPLIER = 3.0;

  /**
   * Checks the parameters.
   *
   * @throws IllegalArgumentException naming the bad parameter
   */
  public DelayModel {
    if (base == null || base.isNegative() || base.compareTo(Delay.MAX) > 0) {
      throw new IllegalArgumentException("base: " + base + " (expected: 0.." + Delay.MAX + ")");
    }
    if (!(jitter >= 0 && jitter <= 10)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0..10)");
    }
    if (!(tailProbability >= 0 && tailProbability <= 1)) {
      throw new IllegalArgumentException(
          "tailProbability: " + tailProbability + " (expected: 0..1)");
    }
    if (!(tailMultiplier >= 1 && tailMultiplier <= 100)) {
      throw new IllegalArgumentException(
          "tailMultiplier: " + tailMultiplier + " (expected: 1..100)");
    }
  }

  /** {@code base} with the default jitter and tail. */
  public static DelayModel of(Duration base) {
    return new DelayModel(base, DEFAULT_JITTER, DEFAULT_TAIL_PROBABILITY,
        DEFAULT_TAIL_MULTIPLIER);
  }

  /** A copy with another base and the same jitter and tail. */
  public DelayModel withBase(Duration newBase) {
    return new DelayModel(newBase, jitter, tailProbability, tailMultiplier);
  }

  /**
   * One service time, in nanoseconds, from uniform numbers in {@code [0, 1)} drawn from
   * {@code random} (two per call).
   */
  public long sampleNanos(DoubleSupplier random) {
    long baseNanos = base.toNanos();
    double extra = jitter == 0 ? 0
        : Delay.exponential(Duration.ofNanos((long) (baseNanos * jitter)))
            .sampleNanos(random.getAsDouble());
    double total = baseNanos + extra;
    if (random.getAsDouble() < tailProbability) {
      total *= tailMultiplier;
    }
    return (long) total;
  }

  /** The shape without the base, e.g. {@code base + exp(mean 0.1 x base), 1% of executions x3}. */
  public String shape() {
    return String.format(Locale.ROOT, "base + exp(mean %s x base), %s%% of executions x%s", jitter,
        tailProbability * 100, tailMultiplier);
  }

  @Override
  public String toString() {
    return base.toMillis() + " ms + exp(mean " + jitter + " x base), " + tailProbability * 100
        + "% x" + tailMultiplier;
  }
}

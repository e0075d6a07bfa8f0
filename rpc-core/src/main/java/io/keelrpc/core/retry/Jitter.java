package io.keelrpc.core.retry;

/**
 * How a backoff delay is randomised so that clients that failed together do not retry together.
 *
 * <p>With {@code base = min(maxBackoff, initialBackoff * multiplier^(retry-1))} and {@code u}
 * uniform in {@code [0, 1)}:
 *
 * <table>
 *   <caption>Jitter strategies</caption>
 *   <tr><th>strategy</th><th>delay</th></tr>
 *   <tr><td>{@link #none()}</td><td>{@code base}</td></tr>
 *   <tr><td>{@link #proportional(double) proportional(f)}</td>
 *       <td>{@code base * (1 + f*u)} (the seed notebook's formula)</td></tr>
 *   <tr><td>{@link #full()}</td><td>{@code base * u}</td></tr>
 *   <tr><td>{@link #equal()}</td><td>{@code base/2 + base/2 * u}</td></tr>
 *   <tr><td>{@link #decorrelated()}</td>
 *       <td>{@code initial + u * (3*previous - initial)}; ignores {@code base}</td></tr>
 * </table>
 *
 * <p>Every result is finally capped at {@code maxBackoff}.
 */
public final class Jitter {
  private enum Kind { NONE, PROPORTIONAL, FULL, EQUAL, DECORRELATED }

  private static final Jitter NONE = new Jitter(Kind.NONE, 0);
  private static final Jitter FULL = new Jitter(Kind.FULL, 0);
  private static final Jitter EQUAL = new Jitter(Kind.EQUAL, 0);
  private static final Jitter DECORRELATED = new Jitter(Kind.DECORRELATED, 0);

  private final Kind kind;
  private final double fraction;

  private Jitter(Kind kind, double fraction) {
    this.kind = kind;
    this.fraction = fraction;
  }

  /** No randomness: every client waits exactly the exponential base. */
  public static Jitter none() {
    return NONE;
  }

  /**
   * Adds up to {@code fraction} of the base: {@code base * (1 + fraction*u)}.
   *
   * @throws IllegalArgumentException if {@code fraction} is not in {@code [0, 1]}
   */
  public static Jitter proportional(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction: " + fraction + " (expected: 0..1)");
    }
    return new Jitter(Kind.PROPORTIONAL, fraction);
  }

  /** Uniform in {@code [0, base)}: the most spread, the default. */
  public static Jitter full() {
    return FULL;
  }

  /** Uniform in {@code [base/2, base)}: never much shorter than the base. */
  public static Jitter equal() {
    return EQUAL;
  }

  /** Uniform in {@code [initial, 3*previous)}: grows from the previous delay, not the attempt count. */
  public static Jitter decorrelated() {
    return DECORRELATED;
  }

  long apply(long baseNanos, long previousNanos, long initialNanos, long capNanos, double u) {
    double d;
    switch (kind) {
      case NONE:
        d = baseNanos;
        break;
      case PROPORTIONAL:
        d = baseNanos * (1.0 + fraction * u);
        break;
      case FULL:
        d = baseNanos * u;
        break;
      case EQUAL: {
        // ceil(base/2) + floor(floor(base/2) * u): stays below base even where u rounds up to 1
        long half = baseNanos / 2;
        d = (baseNanos - half) + Math.floor(half * u);
        break;
      }
      case DECORRELATED:
        long prev = Math.max(previousNanos, initialNanos);
        d = initialNanos + Math.floor(u * Math.max(0.0, 3.0 * prev - initialNanos));
        break;
      default:
        throw new AssertionError(kind);
    }
    return (long) Math.min(capNanos, Math.max(0.0, d));
  }

  @Override
  public String toString() {
    return kind == Kind.PROPORTIONAL ? "proportional(" + fraction + ")" : kind.name().toLowerCase();
  }
}

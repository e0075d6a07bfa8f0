package io.keelrpc.core;

import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * An absolute point in time on a {@link Ticker}, by which a call must finish. A <em>timeout</em> is
 * relative ("250 ms"); a deadline is absolute ("at tick T"), so it can be passed along and asked
 * how much time is left.
 *
 * <pre>{@code
 * Deadline d = Deadline.after(Duration.ofMillis(250), ticker);
 * if (d.isExpired()) { ... }
 * long leftMs = d.timeRemaining().toMillis();
 * }</pre>
 */
public final class Deadline implements Comparable<Deadline> {
  private final Ticker ticker;
  private final long deadlineNanos;

  private Deadline(Ticker ticker, long deadlineNanos) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline {@code timeout} from now on {@code ticker}. Negative timeouts are already expired. */
  public static Deadline after(Duration timeout, Ticker ticker) {
    return afterNanos(saturatedNanos(timeout), ticker);
  }

  /** A deadline {@code timeoutNanos} from now on {@code ticker}. */
  public static Deadline afterNanos(long timeoutNanos, Ticker ticker) {
    Objects.requireNonNull(ticker, "ticker");
    long now = ticker.nanoTime();
    long at = now + timeoutNanos;
    if (timeoutNanos > 0 && at < now) { // overflow: effectively never
      at = Long.MAX_VALUE;
    }
    return new Deadline(ticker, at);
  }

  /** Nanoseconds left; zero or negative once expired. */
  public long remainingNanos() {
    return deadlineNanos - ticker.nanoTime();
  }

  /** Time left, never negative. */
  public Duration timeRemaining() {
    return Duration.ofNanos(Math.max(0, remainingNanos()));
  }

  /** True once the deadline has passed. */
  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  /** The earlier of this deadline and {@code other}. */
  public Deadline min(Deadline other) {
    return other == null || compareTo(other) <= 0 ? this : other;
  }

  @Override
  public int compareTo(Deadline o) {
    return Long.compare(deadlineNanos - o.deadlineNanos, 0);
  }

  @Override
  public String toString() {
    return "Deadline[" + remainingNanos() / 1_000_000 + " ms left]";
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }
}

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
  private static final long MAX_OFFSET_NANOS = Long.MAX_VALUE / 2;

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
    // Ticker values may wrap (only differences are meaningful), so the deadline is kept as a
    // wrapping sum and the timeout saturated to +-146 years: remainingNanos() and compareTo()
    // then stay exact instead of flipping sign when the ticker nears Long.MAX_VALUE.
    long bounded = Math.max(-MAX_OFFSET_NANOS, Math.min(MAX_OFFSET_NANOS, timeoutNanos));
    return new Deadline(ticker, ticker.nanoTime() + bounded);
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
      return d.isNegative() ? -MAX_OFFSET_NANOS : MAX_OFFSET_NANOS;
    }
  }
}

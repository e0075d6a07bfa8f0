package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Timeouts too large for nanoseconds, and tickers near the end of their range: a far deadline
 * never wraps into the past, a past one never wraps into the future.
 */
class DeadlineOverflowTest {
  private static final Duration CENTURY = Duration.ofDays(36_500);

  private final FakeClock clock = new FakeClock();

  @Test
  void hugeDurationIsFarInTheFutureAndStaysThere() {
    Deadline d = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), clock);

    assertThat(d.isExpired()).isFalse();
    assertThat(d.remainingNanos()).isGreaterThan(CENTURY.toNanos());
    clock.advance(CENTURY);
    assertThat(d.isExpired()).isFalse();
    assertThat(d.timeRemaining()).isPositive();
  }

  @Test
  void hugeDurationIsLaterThanAnyOrdinaryDeadline() {
    Deadline never = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), clock);
    Deadline soon = Deadline.after(Duration.ofSeconds(1), clock);

    assertThat(never).isGreaterThan(soon);
    assertThat(never.min(soon)).isSameAs(soon);
  }

  @Test
  void largestNanosTimeoutNeverExpiresOnAnyPracticalTimescale() {
    Deadline d = Deadline.afterNanos(Long.MAX_VALUE, clock);

    assertThat(d.isExpired()).isFalse();
    clock.advance(CENTURY);
    assertThat(d.isExpired()).isFalse();
  }

  @Test
  void hugeNegativeDurationIsExpiredAndStaysExpired() {
    Deadline d = Deadline.after(Duration.ofSeconds(Long.MIN_VALUE), clock);

    assertThat(d.isExpired()).isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(d.isExpired()).isTrue();
    clock.advance(CENTURY);
    assertThat(d.isExpired()).isTrue();
    assertThat(d.timeRemaining()).isZero();
  }

  @Test
  void smallestNanosTimeoutIsExpiredAndStaysExpired() {
    Deadline d = Deadline.afterNanos(Long.MIN_VALUE, clock);

    assertThat(d.isExpired()).isTrue();
    clock.advance(Duration.ofNanos(1));
    assertThat(d.isExpired()).as("one nanosecond later").isTrue();
    clock.advance(CENTURY);
    assertThat(d.isExpired()).isTrue();
  }

  @Test
  void tickerWrappingPastLongMaxValueKeepsTheFullTimeout() {
    AtomicLong now = new AtomicLong(Long.MAX_VALUE - 1_000_000_000L); // 1 s before wrapping
    Ticker ticker = now::get;

    Deadline d = Deadline.after(Duration.ofSeconds(10), ticker);
    assertThat(d.timeRemaining()).isEqualTo(Duration.ofSeconds(10));

    now.addAndGet(5_000_000_000L); // wraps to negative, as System.nanoTime may
    assertThat(d.timeRemaining()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.isExpired()).isFalse();

    now.addAndGet(5_000_000_000L);
    assertThat(d.isExpired()).isTrue();
  }

  @Test
  void deadlinesAcrossTheWrapCompareInTimeOrder() {
    AtomicLong now = new AtomicLong(Long.MAX_VALUE - 1_000_000_000L);
    Ticker ticker = now::get;

    Deadline beforeWrap = Deadline.after(Duration.ofMillis(500), ticker);
    Deadline afterWrap = Deadline.after(Duration.ofSeconds(3), ticker);

    assertThat(beforeWrap).isLessThan(afterWrap);
    assertThat(afterWrap.min(beforeWrap)).isSameAs(beforeWrap);
  }

  @Test
  void negativeTickerValuesWorkLikeAnyOther() {
    AtomicLong now = new AtomicLong(-7_000_000_000L);
    Ticker ticker = now::get;
    Deadline d = Deadline.after(Duration.ofSeconds(2), ticker);

    now.addAndGet(1_500_000_000L);

    assertThat(d.timeRemaining()).isEqualTo(Duration.ofMillis(500));
  }
}

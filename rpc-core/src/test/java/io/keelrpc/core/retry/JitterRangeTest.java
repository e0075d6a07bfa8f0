package io.keelrpc.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each jitter strategy's range, checked at its ends by passing the smallest (0.0) and the largest
 * ({@code Math.nextDown(1.0)}) random number, and at the middle (0.5) to pin the formula.
 */
class JitterRangeTest {
  private static final long MS = 1_000_000L;
  private static final double LOWEST = 0.0;
  private static final double HIGHEST = Math.nextDown(1.0);

  private static RetryPolicy with(Jitter jitter) {
    return RetryPolicy.builder().jitter(jitter).build(); // 50 ms doubling up to 5 s
  }

  @Test
  void fullJitterIsFromZeroUpToButExcludingTheBase() {
    RetryPolicy p = with(Jitter.full());

    assertThat(p.backoffNanos(1, 0, LOWEST)).isZero();
    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(25 * MS);
    assertThat(p.backoffNanos(1, 0, HIGHEST)).isEqualTo(50 * MS - 1);
    assertThat(p.backoffNanos(3, 0, HIGHEST)).isEqualTo(200 * MS - 1);
  }

  @Test
  void equalJitterIsFromHalfTheBaseUpToButExcludingTheBase() {
    RetryPolicy p = with(Jitter.equal());

    assertThat(p.backoffNanos(1, 0, LOWEST)).isEqualTo(25 * MS);
    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(37_500_000L);
    assertThat(p.backoffNanos(1, 0, HIGHEST)).isEqualTo(50 * MS - 1);
    assertThat(p.backoffNanos(3, 0, LOWEST)).isEqualTo(100 * MS);
    assertThat(p.backoffNanos(3, 0, HIGHEST)).isEqualTo(200 * MS - 1);
  }

  @Test
  void equalJitterOfAnOddBaseNeverGoesBelowHalf() {
    RetryPolicy p = RetryPolicy.builder()
        .initialBackoff(Duration.ofNanos(7))
        .jitter(Jitter.equal())
        .build();

    assertThat(p.backoffNanos(1, 0, LOWEST)).isEqualTo(4);
    assertThat(p.backoffNanos(1, 0, HIGHEST)).isEqualTo(6);
  }

  @Test
  void proportionalJitterAddsUpToItsFractionOfTheBase() {
    RetryPolicy p = with(Jitter.proportional(0.1));

    assertThat(p.backoffNanos(1, 0, LOWEST)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(52_500_000L);
    assertThat(p.backoffNanos(1, 0, HIGHEST)).isBetween(55 * MS - 1, 55 * MS);
    assertThat(p.backoffNanos(4, 0, HIGHEST)).isBetween(440 * MS - 1, 440 * MS);
  }

  @Test
  void proportionalJitterIsCappedAtMaxBackoff() {
    RetryPolicy p = with(Jitter.proportional(0.1));

    assertThat(p.backoffNanos(7, 0, LOWEST)).isEqualTo(3_200 * MS);
    assertThat(p.backoffNanos(7, 0, HIGHEST)).isBetween(3_520 * MS - 1, 3_520 * MS);
    assertThat(p.backoffNanos(8, 0, LOWEST)).isEqualTo(5_000 * MS);
    assertThat(p.backoffNanos(8, 0, HIGHEST)).isEqualTo(5_000 * MS);
  }

  @Test
  void proportionalJitterOfZeroIsNoJitter() {
    RetryPolicy p = with(Jitter.proportional(0.0));

    assertThat(p.backoffNanos(2, 0, HIGHEST)).isEqualTo(100 * MS);
  }

  @Test
  void decorrelatedJitterStartsFromInitialUpToThreeTimesInitial() {
    RetryPolicy p = with(Jitter.decorrelated());

    assertThat(p.backoffNanos(1, 0, LOWEST)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(100 * MS);
    assertThat(p.backoffNanos(1, 0, HIGHEST)).isBetween(150 * MS - 1, 150 * MS);
  }

  @Test
  void decorrelatedJitterGrowsFromThePreviousDelayNotTheRetryNumber() {
    RetryPolicy p = with(Jitter.decorrelated());
    long previous = 120 * MS;

    assertThat(p.backoffNanos(2, previous, LOWEST)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(2, previous, HIGHEST)).isBetween(360 * MS - 1, 360 * MS);
    assertThat(p.backoffNanos(9, previous, HIGHEST)).isEqualTo(p.backoffNanos(2, previous, HIGHEST));
  }

  @Test
  void decorrelatedJitterTreatsAPreviousDelayBelowInitialAsInitial() {
    RetryPolicy p = with(Jitter.decorrelated());

    assertThat(p.backoffNanos(2, 10 * MS, HIGHEST)).isEqualTo(p.backoffNanos(2, 50 * MS, HIGHEST));
  }

  @Test
  void decorrelatedJitterIsCappedAtMaxBackoff() {
    RetryPolicy p = with(Jitter.decorrelated());

    assertThat(p.backoffNanos(5, 4_000 * MS, LOWEST)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(5, 4_000 * MS, HIGHEST)).isEqualTo(5_000 * MS);
  }
}

package io.keelrpc.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exponential base without jitter: {@code min(maxBackoff, initial * multiplier^(n-1))}. */
class RetryPolicyBackoffTest {
  private static final long MS = 1_000_000L;
  private static final double ALMOST_ONE = Math.nextDown(1.0);

  private static RetryPolicy noJitter() {
    return RetryPolicy.builder().jitter(Jitter.none()).build();
  }

  @Test
  void delaysDoubleFromFiftyMillisUntilCappedAtFiveSeconds() {
    RetryPolicy p = noJitter();
    long[] expectedMs = {50, 100, 200, 400, 800, 1600, 3200, 5000, 5000};

    for (int retry = 1; retry <= expectedMs.length; retry++) {
      assertThat(p.backoffNanos(retry, 0, 0.5)).as("retry %d", retry)
          .isEqualTo(expectedMs[retry - 1] * MS);
    }
  }

  @Test
  void lateRetriesStayAtTheCapWithoutOverflow() {
    RetryPolicy p = noJitter();

    assertThat(p.backoffNanos(60, 0, 0.5)).isEqualTo(5_000 * MS);
    assertThat(p.backoffNanos(1_100, 0, 0.5)).isEqualTo(5_000 * MS);
    assertThat(p.backoffNanos(Integer.MAX_VALUE, 0, 0.5)).isEqualTo(5_000 * MS);
  }

  @Test
  void noJitterIgnoresTheRandomNumberAndThePreviousDelay() {
    RetryPolicy p = noJitter();

    assertThat(p.backoffNanos(2, 0, 0.0)).isEqualTo(100 * MS);
    assertThat(p.backoffNanos(2, 4_000 * MS, ALMOST_ONE)).isEqualTo(100 * MS);
  }

  @Test
  void multiplierOfOneKeepsTheDelayConstant() {
    RetryPolicy p = RetryPolicy.builder().multiplier(1.0).jitter(Jitter.none()).build();

    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(50 * MS);
    assertThat(p.backoffNanos(40, 0, 0.5)).isEqualTo(50 * MS);
  }

  @Test
  void fractionalMultiplierGrowsByThatFactor() {
    RetryPolicy p = RetryPolicy.builder()
        .initialBackoff(Duration.ofMillis(100))
        .multiplier(1.5)
        .jitter(Jitter.none())
        .build();

    assertThat(p.backoffNanos(1, 0, 0.5)).isEqualTo(100 * MS);
    assertThat(p.backoffNanos(2, 0, 0.5)).isEqualTo(150 * MS);
    assertThat(p.backoffNanos(3, 0, 0.5)).isEqualTo(225 * MS);
  }

  @Test
  void zeroInitialBackoffRetriesAtOnceEvenForHugeRetryNumbers() {
    RetryPolicy p = RetryPolicy.builder().initialBackoff(Duration.ZERO).jitter(Jitter.none()).build();

    assertThat(p.backoffNanos(1, 0, 0.5)).isZero();
    assertThat(p.backoffNanos(Integer.MAX_VALUE, 0, 0.5)).isZero();
  }
}

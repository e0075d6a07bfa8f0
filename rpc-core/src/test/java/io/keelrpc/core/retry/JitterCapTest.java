package io.keelrpc.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No strategy ever waits longer than maxBackoff or less than zero, however late the retry. */
class JitterCapTest {
  private static final double[] RANDOMS = {0.0, 0.25, 0.5, Math.nextDown(1.0)};

  static Stream<Jitter> strategies() {
    return Stream.of(Jitter.none(), Jitter.full(), Jitter.equal(), Jitter.proportional(0.1),
        Jitter.proportional(1.0), Jitter.decorrelated());
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void noDelayExceedsMaxBackoffUpToRetrySixty(Jitter jitter) {
    RetryPolicy p = RetryPolicy.builder().jitter(jitter).build();
    long max = p.maxBackoff().toNanos();

    for (double u : RANDOMS) {
      long previous = 0;
      for (int retry = 1; retry <= 60; retry++) {
        long delay = p.backoffNanos(retry, previous, u);
        assertThat(delay).as("%s retry %d u=%s", jitter, retry, u).isBetween(0L, max);
        previous = delay;
      }
    }
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void extremeInputsStayWithinZeroAndMaxBackoff(Jitter jitter) {
    RetryPolicy p = RetryPolicy.builder()
        .initialBackoff(Duration.ofSeconds(1))
        .multiplier(10.0)
        .maxBackoff(Duration.ofMinutes(1))
        .jitter(jitter)
        .build();
    long max = Duration.ofMinutes(1).toNanos();

    for (double u : RANDOMS) {
      for (long previous : new long[] {0, max, Long.MAX_VALUE}) {
        assertThat(p.backoffNanos(Integer.MAX_VALUE, previous, u))
            .as("%s u=%s previous=%d", jitter, u, previous)
            .isBetween(0L, max);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void lateRetryOfAnUnboundedPolicyDoesNotWrapNegative(Jitter jitter) {
    RetryPolicy p = RetryPolicy.builder()
        .maxBackoff(Duration.ofNanos(Long.MAX_VALUE))
        .jitter(jitter)
        .build();

    for (double u : RANDOMS) {
      assertThat(p.backoffNanos(60, Long.MAX_VALUE / 2, u)).as("%s u=%s", jitter, u)
          .isNotNegative();
    }
  }
}

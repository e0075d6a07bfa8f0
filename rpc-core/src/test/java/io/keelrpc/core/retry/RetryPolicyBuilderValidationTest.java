package io.keelrpc.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad builder values fail at once: IAE naming the value and the bound, NPE for nulls. */
class RetryPolicyBuilderValidationTest {

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void maxAttemptsBelowOneIsRefused(int attempts) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().maxAttempts(attempts))
        .withMessage("maxAttempts: " + attempts + " (expected: >= 1)");
  }

  @Test
  void negativeInitialBackoffIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofMillis(-1)))
        .withMessage("initialBackoff: PT-0.001S (expected: >= 0)");
  }

  @Test
  void negativeMaxBackoffIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().maxBackoff(Duration.ofSeconds(-2)))
        .withMessage("maxBackoff: PT-2S (expected: >= 0)");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
  void multiplierBelowOneOrNotFiniteIsRefused(double multiplier) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.builder().multiplier(multiplier))
        .withMessage("multiplier: " + multiplier + " (expected: >= 1.0)");
  }

  @Test
  void maxBackoffShorterThanInitialBackoffIsRefusedOnBuild() {
    RetryPolicy.Builder b = RetryPolicy.builder().maxBackoff(Duration.ofMillis(10));

    assertThatIllegalArgumentException().isThrownBy(b::build)
        .withMessage("maxBackoff: PT0.01S (expected: >= initialBackoff PT0.05S)");
  }

  @Test
  void nullsAreRefusedWithTheParameterName() {
    RetryPolicy.Builder b = RetryPolicy.builder();

    assertThatNullPointerException().isThrownBy(() -> b.initialBackoff(null))
        .withMessage("initialBackoff");
    assertThatNullPointerException().isThrownBy(() -> b.maxBackoff(null))
        .withMessage("maxBackoff");
    assertThatNullPointerException().isThrownBy(() -> b.jitter(null)).withMessage("jitter");
  }

  @Test
  void refusedValueLeavesTheBuilderAsItWas() {
    RetryPolicy.Builder b = RetryPolicy.builder().maxAttempts(3).multiplier(1.5);

    assertThatIllegalArgumentException().isThrownBy(() -> b.maxAttempts(0));
    assertThatIllegalArgumentException().isThrownBy(() -> b.multiplier(0.1));

    RetryPolicy p = b.build();
    assertThat(p.maxAttempts()).isEqualTo(3);
    assertThat(p.multiplier()).isEqualTo(1.5);
  }

  @Test
  void boundaryValuesAreAccepted() {
    RetryPolicy p = RetryPolicy.builder()
        .maxAttempts(1)
        .initialBackoff(Duration.ZERO)
        .multiplier(1.0)
        .maxBackoff(Duration.ZERO)
        .build();

    assertThat(p.maxAttempts()).isEqualTo(1);
    assertThat(p.backoffNanos(1, 0, 0.5)).isZero();
  }

  @Test
  void backoffsTooLongForNanosecondsAreTreatedAsUnbounded() {
    RetryPolicy p = RetryPolicy.builder()
        .initialBackoff(Duration.ofSeconds(Long.MAX_VALUE))
        .maxBackoff(Duration.ofSeconds(Long.MAX_VALUE))
        .jitter(Jitter.none())
        .build();

    assertThat(p.maxBackoff()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    assertThat(p.backoffNanos(3, 0, 0.5)).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.1, Double.NaN})
  void proportionalFractionOutsideZeroToOneIsRefused(double fraction) {
    assertThatIllegalArgumentException().isThrownBy(() -> Jitter.proportional(fraction))
        .withMessage("fraction: " + fraction + " (expected: 0..1)");
  }

  @Test
  void retryNumberBelowOneIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RetryPolicy.ofDefaults().backoffNanos(0, 0, 0.5))
        .withMessage("retry: 0 (expected: >= 1)");
  }
}

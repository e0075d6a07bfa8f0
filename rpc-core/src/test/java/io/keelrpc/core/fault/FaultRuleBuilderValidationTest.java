package io.keelrpc.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad rates and delays fail at once, naming the value and the bound; nulls fail with NPE. */
class FaultRuleBuilderValidationTest {

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
  void ratesOutsideZeroToOneAreRefused(double rate) {
    FaultRule.Builder b = FaultRule.builder();
    String bound = " (expected: 0..1)";

    assertThatIllegalArgumentException().isThrownBy(() -> b.dropRequest(rate))
        .withMessage("dropRequest: " + rate + bound);
    assertThatIllegalArgumentException().isThrownBy(() -> b.dropResponse(rate))
        .withMessage("dropResponse: " + rate + bound);
    assertThatIllegalArgumentException().isThrownBy(() -> b.duplicateRequest(rate))
        .withMessage("duplicateRequest: " + rate + bound);
    assertThatIllegalArgumentException().isThrownBy(() -> b.disconnect(rate))
        .withMessage("disconnect: " + rate + bound);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.delay(rate, Delay.fixed(Duration.ofMillis(1))))
        .withMessage("delayRate: " + rate + bound);
  }

  @Test
  void ratesZeroAndOneAreAccepted() {
    FaultRule rule = FaultRule.builder().dropRequest(0).dropResponse(1).duplicateRequest(1)
        .disconnect(0).delay(1, Delay.fixed(Duration.ZERO)).build();

    assertThat(rule.dropRequest()).isZero();
    assertThat(rule.dropResponse()).isEqualTo(1.0);
    assertThat(rule.delayRate()).isEqualTo(1.0);
  }

  @Test
  void nullDelayIsRefused() {
    assertThatNullPointerException().isThrownBy(() -> FaultRule.builder().delay(0.5, null))
        .withMessage("delay");
  }

  @Test
  void negativeOrTooLongDelaysAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> Delay.fixed(Duration.ofMillis(-1)))
        .withMessage("delay: PT-0.001S (expected: 0..PT1H)");
    assertThatIllegalArgumentException().isThrownBy(() -> Delay.exponential(Duration.ofHours(2)))
        .withMessage("mean: PT2H (expected: 0..PT1H)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Delay.uniform(Duration.ofMillis(20), Duration.ofMillis(1)))
        .withMessage("max: PT0.001S (expected: >= min PT0.02S)");
    assertThatNullPointerException().isThrownBy(() -> Delay.uniform(null, Duration.ZERO))
        .withMessage("min");
  }

  @Test
  void aRuleWithoutRatesIsNoneAndSaysSo() {
    assertThat(FaultRule.builder().build()).isEqualTo(FaultRule.none());
    assertThat(FaultRule.none().isNone()).isTrue();
    assertThat(FaultRule.none()).hasToString("FaultRule{none}");
    assertThat(FaultRule.builder().disconnect(0.01).build().isNone()).isFalse();
  }

  @Test
  void toStringListsTheNonZeroRates() {
    FaultRule rule = FaultRule.builder().dropRequest(0.1)
        .delay(0.2, Delay.uniform(Duration.ofMillis(1), Duration.ofMillis(20))).build();

    assertThat(rule).hasToString(
        "FaultRule{dropRequest=0.1, delay=0.2 x uniform(PT0.001S..PT0.02S)}");
  }

  @Test
  void toBuilderCopiesEveryValue() {
    FaultRule rule = FaultRule.builder().dropRequest(0.1).dropResponse(0.2).duplicateRequest(0.3)
        .disconnect(0.4).delay(0.5, Delay.exponential(Duration.ofMillis(7))).build();

    assertThat(rule.toBuilder().build()).isEqualTo(rule).hasSameHashCodeAs(rule);
  }
}

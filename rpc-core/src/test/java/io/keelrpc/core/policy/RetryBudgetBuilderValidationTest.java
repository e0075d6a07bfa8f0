package io.keelrpc.core.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Builder arguments are checked at once, with the value and the expected range in the message. */
class RetryBudgetBuilderValidationTest {
  @Test
  void maxTokensMustBePositive() {
    assertThatThrownBy(() -> RetryBudget.builder().maxTokens(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens: 0 (expected: > 0)");
  }

  @Test
  void maxTokensIsAtMostAThousand() {
    assertThatThrownBy(() -> RetryBudget.builder().maxTokens(1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens: 1001 (expected: <= 1000)");
  }

  @Test
  void tokenRatioIsBetweenAThousandthAndOne() {
    assertThatThrownBy(() -> RetryBudget.builder().tokenRatio(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio: 0.0 (expected: 0.001..1)");
    assertThatThrownBy(() -> RetryBudget.builder().tokenRatio(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio: 1.5 (expected: 0.001..1)");
    assertThatThrownBy(() -> RetryBudget.builder().tokenRatio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio: NaN (expected: 0.001..1)");
  }
}

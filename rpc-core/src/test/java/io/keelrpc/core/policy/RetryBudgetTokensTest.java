package io.keelrpc.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The token arithmetic: failures take one, successes put back the ratio, retries above half. */
class RetryBudgetTokensTest {
  @Test
  void startsFullWithTheDefaults() {
    RetryBudget b = RetryBudget.ofDefaults();

    assertThat(b.tokens()).isEqualTo(20.0);
    assertThat(b.maxTokens()).isEqualTo(RetryBudget.DEFAULT_MAX_TOKENS);
    assertThat(b.tokenRatio()).isEqualTo(RetryBudget.DEFAULT_TOKEN_RATIO);
    assertThat(b.allowsRetry()).isTrue();
  }

  @Test
  void retriesStopWhenHalfTheTokensAreGone() {
    RetryBudget b = RetryBudget.builder().maxTokens(10).tokenRatio(0.1).build();
    for (int i = 0; i < 4; i++) {
      b.onFailure();
    }
    assertThat(b.tokens()).isEqualTo(6.0);
    assertThat(b.allowsRetry()).isTrue();

    b.onFailure();

    assertThat(b.tokens()).isEqualTo(5.0);
    assertThat(b.allowsRetry()).as("5 is not above 10/2").isFalse();
  }

  @Test
  void successesRefillByTheRatioUpToTheMaximum() {
    RetryBudget b = RetryBudget.builder().maxTokens(10).tokenRatio(0.1).build();
    for (int i = 0; i < 5; i++) {
      b.onFailure();
    }
    b.onSuccess();
    assertThat(b.tokens()).isEqualTo(5.1);
    assertThat(b.allowsRetry()).isTrue();

    for (int i = 0; i < 100; i++) {
      b.onSuccess();
    }
    assertThat(b.tokens()).isEqualTo(10.0);
  }

  @Test
  void tokensNeverGoBelowZero() {
    RetryBudget b = RetryBudget.builder().maxTokens(2).tokenRatio(0.5).build();
    for (int i = 0; i < 5; i++) {
      b.onFailure();
    }
    assertThat(b.tokens()).isZero();

    b.onSuccess();
    assertThat(b.tokens()).isEqualTo(0.5);
  }

  @Test
  void ratioIsKeptToThreeDecimals() {
    RetryBudget b = RetryBudget.builder().maxTokens(1).tokenRatio(0.0015).build();
    b.onFailure();
    b.onSuccess();

    assertThat(b.tokenRatio()).isEqualTo(0.002);
    assertThat(b.tokens()).isEqualTo(0.002);
  }

  @Test
  void unlimitedAlwaysAllows() {
    RetryBudget b = RetryBudget.unlimited();
    for (int i = 0; i < 1000; i++) {
      b.onFailure();
    }
    assertThat(b.allowsRetry()).isTrue();
    assertThat(b.tokens()).isInfinite();
  }

  @Test
  void concurrentUpdatesLoseNothing() throws Exception {
    RetryBudget b = RetryBudget.builder().maxTokens(1000).tokenRatio(1).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (int i = 0; i < 100; i++) {
            b.onFailure();
          }
        });
      }
      go.countDown();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(b.tokens()).isEqualTo(600.0);
  }
}

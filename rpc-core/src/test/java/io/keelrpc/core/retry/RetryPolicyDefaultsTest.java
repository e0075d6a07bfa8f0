package io.keelrpc.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The values a {@link RetryPolicy} has when nobody sets them. */
class RetryPolicyDefaultsTest {

  @Test
  void defaultsAreFourAttemptsFiftyMillisDoublingUpToFiveSecondsWithFullJitter() {
    RetryPolicy p = RetryPolicy.ofDefaults();

    assertThat(p.maxAttempts()).isEqualTo(4);
    assertThat(p.initialBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.multiplier()).isEqualTo(2.0);
    assertThat(p.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.jitter()).isSameAs(Jitter.full());
  }

  @Test
  void namedDefaultConstantsMatchTheDefaultPolicy() {
    RetryPolicy p = RetryPolicy.ofDefaults();

    assertThat(p.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(p.initialBackoff()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF);
    assertThat(p.multiplier()).isEqualTo(RetryPolicy.DEFAULT_MULTIPLIER);
    assertThat(p.maxBackoff()).isEqualTo(RetryPolicy.DEFAULT_MAX_BACKOFF);
  }

  @Test
  void emptyBuilderBuildsTheDefaults() {
    assertThat(RetryPolicy.builder().build()).hasToString(RetryPolicy.ofDefaults().toString());
    assertThat(RetryPolicy.ofDefaults()).hasToString("RetryPolicy{maxAttempts=4, "
        + "initialBackoff=PT0.05S, multiplier=2.0, maxBackoff=PT5S, jitter=full}");
  }

  @Test
  void noRetriesMakesExactlyOneAttempt() {
    assertThat(RetryPolicy.noRetries().maxAttempts()).isEqualTo(1);
  }

  @Test
  void toBuilderCarriesEveryValueOver() {
    RetryPolicy p = RetryPolicy.builder()
        .maxAttempts(7)
        .initialBackoff(Duration.ofMillis(10))
        .multiplier(1.5)
        .maxBackoff(Duration.ofMillis(900))
        .jitter(Jitter.proportional(0.2))
        .build();

    RetryPolicy copy = p.toBuilder().build();

    assertThat(copy.maxAttempts()).isEqualTo(7);
    assertThat(copy.initialBackoff()).isEqualTo(Duration.ofMillis(10));
    assertThat(copy.multiplier()).isEqualTo(1.5);
    assertThat(copy.maxBackoff()).isEqualTo(Duration.ofMillis(900));
    assertThat(copy.jitter()).isSameAs(p.jitter());
  }

  @Test
  void toBuilderLeavesTheOriginalUnchanged() {
    RetryPolicy p = RetryPolicy.ofDefaults();

    p.toBuilder().maxAttempts(9).jitter(Jitter.none()).build();

    assertThat(p.maxAttempts()).isEqualTo(4);
    assertThat(p.jitter()).isSameAs(Jitter.full());
  }

  @Test
  void jittersNameThemselves() {
    assertThat(Jitter.none()).hasToString("none");
    assertThat(Jitter.full()).hasToString("full");
    assertThat(Jitter.equal()).hasToString("equal");
    assertThat(Jitter.decorrelated()).hasToString("decorrelated");
    assertThat(Jitter.proportional(0.1)).hasToString("proportional(0.1)");
  }
}

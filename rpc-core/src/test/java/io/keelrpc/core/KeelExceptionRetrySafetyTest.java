package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Whether a failure may be retried is a property of the failure, combined with idempotency. */
class KeelExceptionRetrySafetyTest {

  @Test
  void alwaysAllowsRetryWhateverTheIdempotency() {
    assertThat(RetrySafety.ALWAYS.allowsRetry(false)).isTrue();
    assertThat(RetrySafety.ALWAYS.allowsRetry(true)).isTrue();
  }

  @Test
  void ifIdempotentAllowsRetryOnlyForIdempotentCalls() {
    assertThat(RetrySafety.IF_IDEMPOTENT.allowsRetry(false)).isFalse();
    assertThat(RetrySafety.IF_IDEMPOTENT.allowsRetry(true)).isTrue();
  }

  @Test
  void neverAllowsRetry() {
    assertThat(RetrySafety.NEVER.allowsRetry(false)).isFalse();
    assertThat(RetrySafety.NEVER.allowsRetry(true)).isFalse();
  }

  @Test
  void connectionFailureBeforeSendingIsAlwaysSafeAfterSendingOnlyIfIdempotent() {
    assertThat(new TransportException("refused", false, null).retrySafety())
        .isEqualTo(RetrySafety.ALWAYS);
    assertThat(new TransportException("reset", true, null).retrySafety())
        .isEqualTo(RetrySafety.IF_IDEMPOTENT);
  }

  @Test
  void attemptTimeoutIsRetriedOnlyIfIdempotentAndNamesTheTimeout() {
    AttemptTimeoutException e = new AttemptTimeoutException(Duration.ofMillis(250));

    assertThat(e.retrySafety()).isEqualTo(RetrySafety.IF_IDEMPOTENT);
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(e).hasMessageContaining("250 ms");
  }

  @Test
  void closedClientAndUndecodableResponseAreNeverRetried() {
    assertThat(new ClientClosedException("closed").retrySafety()).isEqualTo(RetrySafety.NEVER);
    assertThat(new ResponseDecodingException("bad", null).retrySafety())
        .isEqualTo(RetrySafety.NEVER);
  }
}

package io.keelrpc.client;

import static io.keelrpc.client.TestApi.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client and call-options builders validate at once, in one message style. */
class KeelClientBuilderValidationTest {

  @Test
  void buildWithoutEndpointFails() {
    assertThatThrownBy(() -> KeelClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint: not set (expected: endpoint(host, port))");
  }

  @Test
  void portOutsideTheTcpRangeIsRejected() {
    assertThatThrownBy(() -> KeelClient.builder().endpoint("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> KeelClient.builder().endpoint("127.0.0.1", 65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 65536 (expected: 1..65535)");
  }

  @Test
  void nullsAreRejectedWithTheirName() {
    KeelClient.Builder b = KeelClient.builder();
    assertThatThrownBy(() -> b.endpoint(null, 1)).isInstanceOf(NullPointerException.class)
        .hasMessage("host");
    assertThatThrownBy(() -> b.deadline(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deadline");
    assertThatThrownBy(() -> b.retryPolicy(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("policy");
    assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("ticker");
    assertThatThrownBy(() -> b.scheduler(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler");
    assertThatThrownBy(() -> b.random(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("random");
  }

  @Test
  void durationsMustBePositive() {
    KeelClient.Builder b = KeelClient.builder();
    assertThatThrownBy(() -> b.deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.perAttemptTimeout(ms(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("perAttemptTimeout: PT-0.001S (expected: > 0)");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout: PT0S (expected: > 0)");
  }

  @Test
  void maxFrameBytesHasAFloor() {
    assertThatThrownBy(() -> KeelClient.builder().maxFrameBytes(15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes: 15 (expected: >= 16)");
  }

  @Test
  void callOptionsDefaultToTheClientsSettings() {
    CallOptions o = CallOptions.DEFAULTS;
    assertThat(o.deadline()).isNull();
    assertThat(o.perAttemptTimeout()).isNull();
    assertThat(o.retryPolicy()).isNull();
    assertThat(o.idempotent()).isNull();
    assertThat(o.idempotencyKey()).isNull();
  }

  @Test
  void callOptionsKeepWhatWasSet() {
    RetryPolicy policy = RetryPolicy.noRetries();
    CallOptions o = CallOptions.builder().deadline(ms(2000)).perAttemptTimeout(ms(250))
        .retryPolicy(policy).idempotent(false).idempotencyKey("k").build();
    assertThat(o.deadline()).isEqualTo(ms(2000));
    assertThat(o.perAttemptTimeout()).isEqualTo(ms(250));
    assertThat(o.retryPolicy()).isSameAs(policy);
    assertThat(o.idempotent()).isFalse();
    assertThat(o.idempotencyKey()).isEqualTo("k");
  }

  @Test
  void callOptionsValidateAtOnce() {
    CallOptions.Builder b = CallOptions.builder();
    assertThatThrownBy(() -> b.deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.perAttemptTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("perAttemptTimeout");
    assertThatThrownBy(() -> b.retryPolicy(null))
        .isInstanceOf(NullPointerException.class).hasMessage("policy");
    assertThatThrownBy(() -> b.idempotencyKey(null))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> b.idempotencyKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idempotencyKey: length 0 (expected: 1..256)");
    assertThatThrownBy(() -> b.idempotencyKey("k".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idempotencyKey: length 257 (expected: 1..256)");
    assertThat(b.idempotencyKey("k".repeat(256)).build().idempotencyKey()).hasSize(256);
  }
}

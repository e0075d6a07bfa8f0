package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.proxy.CatalogApi.Item;
import io.keelrpc.client.proxy.CatalogApi.Query;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options and descriptor each proxied call goes out with: marks and the proxy's options. */
class KeelClientProxyCallOptionsTest {
  private static final RetryPolicy TWO_ATTEMPTS = RetryPolicy.builder().maxAttempts(2).build();
  private static final CallOptions OPTIONS = CallOptions.builder()
      .deadline(Duration.ofSeconds(3))
      .perAttemptTimeout(Duration.ofMillis(300))
      .retryPolicy(TWO_ATTEMPTS)
      .build();

  private final RecordingClient recording = new RecordingClient();

  @Test
  void unmarkedMethodGoesOutWithTheProxysOptionsUnchanged() {
    recording.client().proxy(CatalogApi.class, OPTIONS).rename("a", "A");

    RecordingClient.Call call = recording.onlyCall();
    assertThat(call.options()).isSameAs(OPTIONS);
    assertThat(call.method().name()).isEqualTo("catalog.rename");
    assertThat(call.method().readOnly()).isFalse();
  }

  @Test
  void proxyWithoutOptionsUsesTheClientsDefaults() {
    recording.client().proxy(CatalogApi.class).clear();

    assertThat(recording.onlyCall().options()).isSameAs(CallOptions.DEFAULTS);
  }

  @Test
  void idempotentMethodIsMarkedIdempotentAndKeepsTheOtherOptions() {
    recording.client().proxy(CatalogApi.class, OPTIONS).add(new Item("a", "A", 1));

    CallOptions sent = recording.onlyCall().options();
    assertThat(sent.idempotent()).isTrue();
    assertThat(sent.deadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(sent.perAttemptTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(sent.retryPolicy()).isSameAs(TWO_ATTEMPTS);
    assertThat(sent.idempotencyKey()).isNull();
    assertThat(recording.onlyCall().method().readOnly()).isFalse();
  }

  @Test
  void markWinsOverOptionsThatSayNotIdempotent() {
    CallOptions notIdempotent = CallOptions.builder().idempotent(false).build();

    recording.client().proxy(CatalogApi.class, notIdempotent).add(new Item("a", "A", 1));

    assertThat(recording.onlyCall().options().idempotent()).isTrue();
  }

  @Test
  void readOnlyMethodHasAReadOnlyDescriptorAndIsIdempotent() {
    recording.client().proxy(CatalogApi.class, OPTIONS).find(new Query("a"));

    RecordingClient.Call call = recording.onlyCall();
    assertThat(call.method().readOnly()).isTrue();
    assertThat(call.options().idempotent()).isTrue();
    assertThat(call.options().deadline()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void optionsWithAnIdempotencyKeyAreRefused() {
    CallOptions keyed = CallOptions.builder().idempotencyKey("k1").build();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> recording.client().proxy(CatalogApi.class, keyed))
        .withMessage("options.idempotencyKey: \"k1\" (expected: none; a proxy's options apply to"
            + " every call, and calls sharing a key run once)");
  }
}

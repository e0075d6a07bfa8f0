package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.StreamOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stream settings are validated when they are set, in the builders' one message style. */
class StreamOptionsValidationTest {
  @Test
  void theClientsStreamIdleTimeoutMustBePositive() {
    KeelClient.Builder b = KeelClient.builder();

    assertThatThrownBy(() -> b.streamIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("streamIdleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.streamIdleTimeout(Duration.ofSeconds(-1)))
        .hasMessage("streamIdleTimeout: PT-1S (expected: > 0)");
    assertThatThrownBy(() -> b.streamIdleTimeout(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void perStreamSettingsAreValidated() {
    StreamOptions.Builder b = StreamOptions.builder();

    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.deadline(Duration.ofMillis(-5)))
        .hasMessage("deadline: PT-0.005S (expected: > 0)");
    assertThatThrownBy(() -> b.window(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: 0 (expected: 1..1048576)");
    assertThatThrownBy(() -> b.window(StreamOptions.MAX_WINDOW + 1))
        .hasMessage("window: 1048577 (expected: 1..1048576)");
  }

  @Test
  void defaultsLeaveTheIdleTimeoutToTheClientAndSetNoDeadline() {
    StreamOptions d = StreamOptions.DEFAULTS;

    assertThat(d.idleTimeout()).isNull();
    assertThat(d.deadline()).isNull();
    assertThat(d.window()).isEqualTo(StreamOptions.DEFAULT_WINDOW).isEqualTo(64);
    StreamOptions set = StreamOptions.builder().idleTimeout(Duration.ofSeconds(1)).window(1)
        .deadline(Duration.ofMinutes(1)).build();
    assertThat(set.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(set.window()).isEqualTo(1);
    assertThat(set.deadline()).isEqualTo(Duration.ofMinutes(1));
  }
}

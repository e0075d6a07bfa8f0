package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.TransportException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Builder validation: immediate, with messages naming the value and the expected range. */
class KeelServerBuilderTest extends ServerTestSupport {
  private final CounterService counters = new CounterService();

  @Test
  void registeringTheSameMethodTwiceIsRejected() {
    KeelServer.Builder b = KeelServer.builder().handle(CounterService.INC, (p, ctx) -> null);

    assertThatThrownBy(() -> b.handle(CounterService.INC, (p, ctx) -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method: \"inc\" (expected: registered once)");
    assertThatThrownBy(() -> b.handleAsync(CounterService.INC,
        (p, ctx) -> CompletableFuture.completedFuture(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method: \"inc\" (expected: registered once)");
  }

  @Test
  void outOfRangeValuesAreRejectedWithTheValueAndTheRange() {
    KeelServer.Builder b = KeelServer.builder();

    assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: -1 (expected: 0..65535)");
    assertThatThrownBy(() -> b.port(65536)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 65536 (expected: 0..65535)");
    assertThatThrownBy(() -> b.maxFrameBytes(15)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes: 15 (expected: >= 16)");
    assertThatThrownBy(() -> b.workerThreads(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workerThreads: 0 (expected: >= 1)");
    assertThatThrownBy(() -> b.ioThreads(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ioThreads: 0 (expected: >= 1)");
    assertThatThrownBy(() -> b.queueCapacity(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueCapacity: -1 (expected: >= 0)");
    assertThatThrownBy(() -> b.maxInFlightPerConnection(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlightPerConnection: 0 (expected: >= 1)");
    assertThatThrownBy(() -> b.overloadRetryAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overloadRetryAfter: PT-0.001S (expected: >= 0)");
    assertThatThrownBy(() -> b.shutdownGracePeriod(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shutdownGracePeriod: PT-1S (expected: >= 0)");
  }

  @Test
  void boundaryValuesAreAccepted() {
    KeelServer.Builder b = KeelServer.builder();

    assertThat(b.port(0).port(65535).maxFrameBytes(16).workerThreads(1).ioThreads(1)
        .queueCapacity(0).maxInFlightPerConnection(1).overloadRetryAfter(Duration.ZERO)
        .shutdownGracePeriod(Duration.ZERO)).isSameAs(b);
  }

  @Test
  void nullsAreRejectedWithNullPointerException() {
    KeelServer.Builder b = KeelServer.builder();

    assertThatThrownBy(() -> b.host(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.idempotencyStore(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.overloadRetryAfter(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.shutdownGracePeriod(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.handle(CounterService.INC, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.handleAsync(CounterService.INC, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void bindingAPortInUseFailsWithTransportException() {
    KeelServer first = start(counters.registerOn(builder()));

    assertThatThrownBy(() -> start(builder().port(first.port())))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining(String.valueOf(first.port()));
  }

  @Test
  void portZeroBindsAnEphemeralPort() {
    KeelServer server = start(counters.registerOn(builder()));

    assertThat(server.port()).isBetween(1, 65535);
  }
}

package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code idleTimeout}: quiet connections are closed, never one with a call in flight. */
class KeelServerIdleTimeoutTest extends LimitsTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);

  @Test
  void quietConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    KeelServer server = start(limitsBuilder().idleTimeout(Duration.ofMillis(300)));
    FrameClient quiet = connect(server);
    assertServed(quiet, "q");

    assertThat(closedByServer(quiet)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
  }

  @Test
  void connectionWithACallInFlightIsKeptPastTheIdleTimeout() throws Exception {
    Gate gate = gate();
    KeelServer server = start(limitsBuilder().idleTimeout(Duration.ofMillis(200))
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient waiting = connect(server);
    waiting.send(request("slow", "slowInc", "{\"key\":\"s\"}"));
    gate.awaitEntered(1);

    // five idle timeouts pass with the call running, while other clients come and are served
    await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      try (FrameClient other = FrameClient.connect(server.port())) {
        assertServed(other, "o");
      }
    });
    gate.open();

    assertResult(waiting.read()); // an idle close would have ended the connection instead
    assertThat(closedByServer(waiting)).isTrue(); // idle again once answered
  }

  @Test
  void zeroMeansConnectionsAreNeverClosedForIdleness() throws Exception {
    KeelServer server = start(limitsBuilder().idleTimeout(Duration.ZERO));
    FrameClient quiet = connect(server);
    assertServed(quiet, "q");

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> server.openConnections() == 1);
    assertServed(quiet, "q");
  }

  @Test
  void idleTimeoutRejectsNegative() {
    assertThatThrownBy(() -> KeelServer.builder().idleTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout: PT-0.001S (expected: >= 0)");
  }
}

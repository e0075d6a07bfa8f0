package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code maxConnections}: the connection beyond it is closed at once; the others go on. */
class KeelServerMaxConnectionsTest extends LimitsTestSupport {

  @Test
  void connectionBeyondTheLimitIsClosedWhileTheOthersKeepWorking() throws Exception {
    KeelServer server = start(limitsBuilder().maxConnections(2));
    FrameClient first = connect(server);
    FrameClient second = connect(server);
    assertServed(first, "a");
    assertServed(second, "b");

    FrameClient third = connect(server);

    assertThat(closedByServer(third)).isTrue();
    assertServed(first, "a");
    assertServed(second, "b");
    assertThat(counters.value("a")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 2);
  }

  @Test
  void aClosedConnectionFreesItsSlot() throws Exception {
    KeelServer server = start(limitsBuilder().maxConnections(2));
    FrameClient first = connect(server);
    FrameClient second = connect(server);
    assertServed(first, "a");
    assertServed(second, "b");

    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
    FrameClient next = connect(server);

    assertServed(next, "c");
    assertServed(second, "b");
  }

  @Test
  void refusedConnectionGetsNoAnswerToItsRequest() throws Exception {
    KeelServer server = start(limitsBuilder().maxConnections(1));
    FrameClient first = connect(server);
    assertServed(first, "a");

    FrameClient refused = connect(server);

    assertThatThrownBy(() -> {
      refused.send(request("r", "inc", "{\"key\":\"r\"}"));
      refused.read();
    }).isInstanceOf(java.io.IOException.class);
    assertThat(counters.value("r")).isZero();
    assertServed(first, "a");
  }

  @Test
  void maxConnectionsRejectsZero() {
    assertThatThrownBy(() -> KeelServer.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnections: 0 (expected: >= 1)");
  }
}

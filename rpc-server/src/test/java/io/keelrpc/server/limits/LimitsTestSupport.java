package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;

/**
 * Shared pieces of the limits tests: a counter service, one well-behaved call, and a check that
 * the server closed a connection. Timeouts are switched off unless a test turns one on, so that
 * each test sees only the limit it is about.
 */
abstract class LimitsTestSupport extends ServerTestSupport {
  final CounterService counters = new CounterService();

  /** The shared builder with the counter service and every connection timeout off. */
  KeelServer.Builder limitsBuilder() {
    return counters.registerOn(builder()
        .idleTimeout(Duration.ZERO)
        .firstFrameTimeout(Duration.ZERO)
        .frameReadTimeout(Duration.ZERO));
  }

  /** One {@code inc} call on {@code c}; asserts it is answered with a result. */
  static void assertServed(FrameClient c, String key) throws IOException {
    String id = newId();
    var answer = c.call(request(id, "inc", "{\"key\":\"" + key + "\"}"));
    assertThat(answer.path("id").asText()).isEqualTo(id);
    assertResult(answer);
  }

  /**
   * True if the server closed {@code c}: the next read sees end of stream or a reset. Fails by
   * the client's read timeout if the connection stays open.
   */
  static boolean closedByServer(FrameClient c) throws IOException {
    try {
      return c.closedByPeer();
    } catch (SocketException e) {
      return true; // reset
    }
  }
}

package io.keelrpc.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import io.keelrpc.server.KeelServer;
import org.junit.jupiter.api.Test;

class CounterCommandsTest {
  @Test
  void counterDemoExitsZeroAndReadsSix() {
    CommandRunner.Execution run = CommandRunner.execute("counter-demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(6);
    assertThat(run.out())
        .contains("\"result\":{\"key\":\"counter\",\"value\":2}")
        .contains("\"result\":{\"key\":\"counter\",\"value\":4}")
        .contains("{\"method\":\"get\",\"params\":{\"key\":\"counter\"},"
            + "\"result\":{\"key\":\"counter\",\"value\":6}}")
        .contains("# ok: three increments of 2 read back as 6");
  }

  @Test
  void counterClientCallsARunningServer() {
    InMemoryCounterService counters = new InMemoryCounterService();
    try (KeelServer server = counters.registerOn(KeelServer.builder().port(0)).start()) {
      CommandRunner.Execution run = CommandRunner.execute("counter-client",
          "--port", Integer.toString(server.port()), "--key", "k", "--delta", "5");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().lines()).hasSize(4).last().asString()
          .isEqualTo("{\"method\":\"get\",\"params\":{\"key\":\"k\"},"
              + "\"result\":{\"key\":\"k\",\"value\":15}}");
      assertThat(counters.get("k").value()).isEqualTo(15);
    }
  }

  @Test
  void counterClientReportsAnUnreachableServerAndExitsOne() {
    int freePort;
    try (KeelServer closed = KeelServer.builder().port(0).start()) {
      freePort = closed.port();
    }

    CommandRunner.Execution run = CommandRunner.execute("counter-client",
        "--port", Integer.toString(freePort));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("counter-client: 127.0.0.1:" + freePort + ": ");
  }
}

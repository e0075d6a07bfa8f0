package io.keelrpc.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.KeelClient;
import io.keelrpc.examples.CommandRunner;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.examples.counter.CounterService.IncParams;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The proxy style of the counter example, and its wire compatibility with the descriptor style. */
class CounterApiProxyTest {
  @Test
  void counterProxyDemoExitsZeroAndReadsSix() {
    CommandRunner.Execution run = CommandRunner.execute("counter-proxy-demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).hasSize(6);
    assertThat(run.out())
        .contains("{\"method\":\"inc\",\"params\":{\"key\":\"counter\",\"delta\":2},"
            + "\"result\":{\"key\":\"counter\",\"value\":2}}")
        .contains("{\"method\":\"get\",\"params\":{\"key\":\"counter\"},"
            + "\"result\":{\"key\":\"counter\",\"value\":6}}")
        .contains("# ok: three increments of 2 read back as 6");
  }

  @Test
  void counterProxyDemoHasHelpWithTheJarUsageLine() {
    CommandRunner.Execution run = CommandRunner.execute("counter-proxy-demo", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith(
        "Usage: java -jar rpc-examples/target/keel-examples.jar counter-proxy-demo [options]");
  }

  @Test
  void proxyCallsACounterServerRegisteredWithDescriptors() {
    InMemoryCounterService counters = new InMemoryCounterService();
    try (KeelServer server = counters.registerOn(KeelServer.builder().port(0)).start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      CounterApi api = client.proxy(CounterApi.class);

      assertThat(api.inc(new IncParams("k", 5L))).isEqualTo(new Counter("k", 5));
      assertThat(api.inc(new IncParams("k", null))).isEqualTo(new Counter("k", 6));
      assertThat(api.get(new KeyParams("k"))).succeedsWithin(Duration.ofSeconds(5))
          .isEqualTo(new Counter("k", 6));
    }
  }

  @Test
  void descriptorsCallAnExportedCounterApi() {
    try (KeelServer server = KeelServer.builder().port(0)
            .export(CounterApi.class, CounterApi.over(new InMemoryCounterService()))
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      assertThat(client.call(CounterService.INC, new IncParams("k", 2L)))
          .isEqualTo(new Counter("k", 2));
      assertThat(client.call(CounterService.GET, new KeyParams("k")))
          .isEqualTo(new Counter("k", 2));
    }
  }
}

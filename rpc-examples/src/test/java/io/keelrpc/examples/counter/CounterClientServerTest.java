package io.keelrpc.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.examples.counter.CounterService.IncParams;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CounterClientServerTest {
  private final InMemoryCounterService counters = new InMemoryCounterService();
  private KeelServer server;
  private KeelClient client;

  @BeforeEach
  void start() {
    server = counters.registerOn(KeelServer.builder().port(0)).start();
    client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void threeIncrementsOfTwoThenGetReadSix() {
    StringWriter printed = new StringWriter();

    var replies = CounterCalls.incThreeTimesThenGet(client, "counter", 2, new PrintWriter(printed));

    assertThat(replies).extracting(Counter::value).containsExactly(2L, 4L, 6L, 6L);
    assertThat(counters.get("counter")).isEqualTo(new Counter("counter", 6));
    assertThat(printed.toString().lines()).containsExactly(
        "{\"method\":\"inc\",\"params\":{\"key\":\"counter\",\"delta\":2},"
            + "\"result\":{\"key\":\"counter\",\"value\":2}}",
        "{\"method\":\"inc\",\"params\":{\"key\":\"counter\",\"delta\":2},"
            + "\"result\":{\"key\":\"counter\",\"value\":4}}",
        "{\"method\":\"inc\",\"params\":{\"key\":\"counter\",\"delta\":2},"
            + "\"result\":{\"key\":\"counter\",\"value\":6}}",
        "{\"method\":\"get\",\"params\":{\"key\":\"counter\"},"
            + "\"result\":{\"key\":\"counter\",\"value\":6}}");
  }

  @Test
  void absentDeltaAddsOne() {
    client.call(CounterService.INC, new IncParams("a", null));
    client.call(CounterService.INC, new IncParams("a", null));

    assertThat(client.call(CounterService.GET, new KeyParams("a"))).isEqualTo(new Counter("a", 2));
  }

  @Test
  void getOfAnUnknownCounterIsZero() {
    assertThat(client.call(CounterService.GET, new KeyParams("never"))).isEqualTo(
        new Counter("never", 0));
  }

  @Test
  void missingOrEmptyKeyIsInvalidParams() {
    assertThatThrownBy(() -> client.call(CounterService.INC, new IncParams(null, 1L)))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessageContaining("key: missing");
    assertThatThrownBy(() -> client.call(CounterService.GET, new KeyParams("")))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessageContaining("key: \"\"");
  }

  @Test
  void overflowIsInvalidParamsAndLeavesTheCounter() {
    client.call(CounterService.INC, new IncParams("big", Long.MAX_VALUE));

    assertThatThrownBy(() -> client.call(CounterService.INC, new IncParams("big", 1L)))
        .isInstanceOf(InvalidParamsException.class)
        .hasMessageContaining("delta: 1");
    assertThat(counters.get("big").value()).isEqualTo(Long.MAX_VALUE);
  }
}

package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One Go connection carries many calls at once, answered as they complete, under the same
 * admission limit and per-connection in-flight limit as {@code keel/1}.
 */
class GoJsonRpcConcurrencyTest extends GoTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("Counter.SlowInc", IncParams.class, Counter.class);

  private final CounterService counters = new CounterService();

  @Test
  void answersGoOutAsCallsCompleteMatchedById() throws IOException {
    Gate gate = gate();
    KeelServer server = start(slowCounter(builder().workerThreads(2), gate));
    GoLineClient c = connectGo(server);

    c.send(GoLineClient.request(1, "Counter.SlowInc", "{\"key\":\"m\"}"));
    gate.awaitEntered(1);
    c.send(GoLineClient.request(2, "inc", "{\"key\":\"m\"}"));
    JsonNode first = c.read();
    gate.open();
    JsonNode second = c.read();

    assertThat(first.get("id").asLong()).isEqualTo(2);
    assertThat(second.get("id").asLong()).isEqualTo(1);
    assertThat(counters.value("m")).isEqualTo(2);
  }

  @Test
  void connectionAtItsInFlightLimitDispatchesTheNextRequestOnlyAfterAnAnswer() throws IOException {
    Gate gate = gate();
    KeelServer server = start(slowCounter(
        builder().workerThreads(4).maxInFlightPerConnection(2), gate));
    GoLineClient c = connectGo(server);

    c.send(GoLineClient.request(1, "Counter.SlowInc", "{\"key\":\"l\"}"));
    c.send(GoLineClient.request(2, "Counter.SlowInc", "{\"key\":\"l\"}"));
    gate.awaitEntered(2);
    c.send(GoLineClient.request(3, "get", "{\"key\":\"l\"}"));
    gate.open();
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.add(c.read().get("id").asLong());
    }

    // Without the limit the fast "get" (3) would be answered while 1 and 2 wait at the gate.
    assertThat(order.get(0)).isNotEqualTo(3L);
    assertThat(order).containsExactlyInAnyOrder(1L, 2L, 3L);
  }

  @Test
  void callBeyondTheAdmissionLimitIsAnOverloadedErrorString() throws IOException {
    Gate gate = gate();
    KeelServer server = start(slowCounter(builder().workerThreads(1).queueCapacity(0), gate));
    GoLineClient c = connectGo(server);

    c.send(GoLineClient.request(1, "Counter.SlowInc", "{\"key\":\"o\"}"));
    gate.awaitEntered(1);
    JsonNode answer = c.call(GoLineClient.request(2, "inc", "{\"key\":\"o\"}"));

    assertThat(answer.get("id").asLong()).isEqualTo(2);
    assertThat(assertGoError(answer)).startsWith("server overloaded");
    gate.open();
    assertThat(assertGoResult(c.read()).get("value").asLong()).isEqualTo(1);
  }

  private KeelServer.Builder slowCounter(KeelServer.Builder b, Gate gate) {
    return counters.registerOn(b).handle(SLOW_INC, (p, ctx) -> {
      gate.pass();
      return counters.inc(p);
    });
  }
}

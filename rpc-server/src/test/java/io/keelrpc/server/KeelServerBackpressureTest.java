package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bounded admission (OVERLOADED with a retry-after hint) and per-connection read pushback. */
class KeelServerBackpressureTest extends ServerTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);

  private final CounterService counters = new CounterService();

  @Test
  void callBeyondWorkersAndQueueIsOverloadedAtOnceWithRetryAfter() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()
            .workerThreads(1).queueCapacity(1).overloadRetryAfter(Duration.ofMillis(40)))
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient c = connect(server);

    // One connection dispatches in order: "running" takes the worker, "queued" the queue slot.
    c.send(request("running", "slowInc", "{\"key\":\"bp\"}"));
    gate.awaitEntered(1);
    c.send(request("queued", "slowInc", "{\"key\":\"bp\"}"));
    c.send(request("third", "inc", "{\"key\":\"bp\"}"));
    JsonNode third = c.read();

    JsonNode error = assertError(third, ErrorCode.OVERLOADED.code());
    assertThat(third.get("id").asText()).isEqualTo("third");
    assertThat(error.path("data").path("retryAfterMs").isIntegralNumber()).isTrue();
    assertThat(error.path("data").path("retryAfterMs").asLong()).isEqualTo(40);
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void callsSucceedAgainOnceTheLoadDrains() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder().workerThreads(1).queueCapacity(1))
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient c = connect(server);
    c.send(request("running", "slowInc", "{\"key\":\"bp\"}"));
    gate.awaitEntered(1);
    c.send(request("queued", "slowInc", "{\"key\":\"bp\"}"));
    assertError(c.call(request("rejected", "inc", "{\"key\":\"bp\"}")), ErrorCode.OVERLOADED.code());

    gate.open();
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      JsonNode a = c.read();
      assertResult(a);
      answered.add(a.get("id").asText());
    }
    JsonNode sameConnection = c.call(request("after-1", "inc", "{\"key\":\"bp\"}"));
    JsonNode newConnection = FrameClient.callOnce(server.port(),
        request("after-2", "inc", "{\"key\":\"bp\"}"));

    assertThat(answered).containsExactlyInAnyOrder("running", "queued");
    assertThat(assertResult(sameConnection).get("value").asLong()).isEqualTo(3);
    assertThat(assertResult(newConnection).get("value").asLong()).isEqualTo(4);
  }

  @Test
  void connectionWithTooManyInFlightIsNotReadFurtherUntilAnswersGoOut() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()
            .workerThreads(4).maxInFlightPerConnection(2))
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient busy = connect(server);
    String[] requests = new String[5];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = request("p" + i, "slowInc", "{\"key\":\"pipelined\"}");
    }

    busy.sendPipelined(requests);
    gate.awaitEntered(2);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
        .until(() -> gate.entered() == 2);
    JsonNode other = FrameClient.callOnce(server.port(), request("other", "inc", "{\"key\":\"o\"}"));
    gate.open();
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < requests.length; i++) {
      JsonNode a = busy.read();
      assertResult(a);
      answered.add(a.get("id").asText());
    }

    assertThat(assertResult(other).get("value").asLong()).isEqualTo(1);
    assertThat(answered).containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p4");
    assertThat(gate.entered()).isEqualTo(5);
    assertThat(counters.value("pipelined")).isEqualTo(5);
  }
}

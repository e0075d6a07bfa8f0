package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: running calls finish and answer, new work is refused, then it returns. */
class KeelServerShutdownTest extends ServerTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);

  private final CounterService counters = new CounterService();
  private final ExecutorService shutdownThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopShutdownThread() {
    shutdownThread.shutdownNow();
  }

  @Test
  void shutdownDrainsTheRunningCallWhileRefusingNewWork() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()).handle(SLOW_INC, (p, ctx) -> {
      gate.pass();
      return counters.inc(p);
    }));
    int port = server.port();
    FrameClient running = connect(server);
    FrameClient existing = connect(server);
    assertResult(existing.call(request("warm-up", "get", "{\"key\":\"s\"}")));

    running.send(request("running", "slowInc", "{\"key\":\"s\"}"));
    gate.awaitEntered(1);
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
        () -> server.shutdown(Duration.ofSeconds(5)), shutdownThread);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> FrameClient.connect(port).close())
            .isInstanceOf(ConnectException.class));
    // The listener closes just before draining starts: probe with a read-only call until refused.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertError(
        existing.call(request(newId(), "get", "{\"key\":\"s\"}")),
        ErrorCode.UNAVAILABLE.code()));
    JsonNode refused = existing.call(request("refused", "inc", "{\"key\":\"refused\"}"));
    assertError(refused, ErrorCode.UNAVAILABLE.code());
    assertThat(refused.get("id").asText()).isEqualTo("refused");
    assertThat(shutdown).as("draining while the call runs").isNotDone();
    gate.open();
    JsonNode answer = running.read();

    assertThat(answer.get("id").asText()).isEqualTo("running");
    assertThat(assertResult(answer).get("value").asLong()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(shutdown::isDone);
    assertThat(shutdown).isCompleted();
    assertThat(counters.value("refused")).isZero();
    assertThat(running.closedByPeer()).isTrue();
  }

  @Test
  void shutdownWithNothingRunningReturnsAndSecondCallDoesNothing() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    int port = server.port();
    assertResult(FrameClient.callOnce(port, request("one", "inc", "{\"key\":\"x\"}")));

    server.shutdown(Duration.ofSeconds(5));
    server.shutdown(Duration.ofSeconds(5));
    server.close();

    assertThatThrownBy(() -> FrameClient.connect(port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void shutdownGivesUpOnACallThatOutlivesTheGracePeriod() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()).handle(SLOW_INC, (p, ctx) -> {
      gate.pass();
      return counters.inc(p);
    }));
    FrameClient running = connect(server);
    running.send(request("stuck", "slowInc", "{\"key\":\"stuck\"}"));
    gate.awaitEntered(1);

    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
        () -> server.shutdown(Duration.ofMillis(200)), shutdownThread);

    await().atMost(Duration.ofSeconds(5)).until(shutdown::isDone);
    assertThat(shutdown).isCompleted();
    assertThat(running.closedByPeer()).isTrue();
  }
}

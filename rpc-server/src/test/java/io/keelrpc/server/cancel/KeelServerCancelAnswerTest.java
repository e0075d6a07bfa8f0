package io.keelrpc.server.cancel;

import static io.keelrpc.server.cancel.CancelFixtures.ASYNC;
import static io.keelrpc.server.cancel.CancelFixtures.RECORD;
import static io.keelrpc.server.cancel.CancelFixtures.cancel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer to a cancelled request is never written, whatever the handler does afterwards, while
 * the connection goes on answering everything else.
 *
 * <p>The cancelled call's handler is asynchronous and the test completes its stage itself: the
 * completion hands the answer to the connection's I/O thread before {@code complete} returns, so
 * the answer of a call sent afterwards (run on a worker, answered through the same I/O thread
 * queue) is written after it. Reading that later answer first therefore proves the earlier one
 * was dropped, not delayed.
 */
class KeelServerCancelAnswerTest extends ServerTestSupport {
  private final List<CallContext> calls = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<String>> stages = new CopyOnWriteArrayList<>();
  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(builder()
        .handleAsync(ASYNC, (p, ctx) -> {
          CompletableFuture<String> f = new CompletableFuture<>();
          calls.add(ctx);
          stages.add(f);
          return f;
        })
        .handle(RECORD, (p, ctx) -> {
          String key = ctx.idempotencyKey().orElse("?");
          recorded.add(key);
          return "recorded " + key;
        }));
  }

  @AfterEach
  void completeLeftovers() {
    stages.forEach(f -> f.complete("test ended"));
  }

  private void awaitCalls(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == n);
  }

  @Test
  void resultCompletedAfterTheCancelIsNotSentAndTheNextCallIsAnswered() throws Exception {
    FrameClient c = connect(server);
    c.send(request("a-1", "async", "{}"));
    awaitCalls(1);
    c.send(cancel("a-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get(0).isCancelled());

    stages.get(0).complete("late");
    JsonNode next = c.call(request("a-2", "record", "{}"));

    assertThat(next.get("id").asText()).isEqualTo("a-2");
    assertThat(assertResult(next).asText()).isEqualTo("recorded a-2");
  }

  @Test
  void errorCompletedAfterTheCancelIsNotSentEither() throws Exception {
    FrameClient c = connect(server);
    c.send(request("e-1", "async", "{}"));
    awaitCalls(1);
    c.send(cancel("e-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get(0).isCancelled());

    stages.get(0).completeExceptionally(new IllegalStateException("handler failed late"));
    JsonNode next = c.call(request("e-2", "record", "{}"));

    assertThat(next.get("id").asText()).isEqualTo("e-2");
  }

  @Test
  void aCancelledCallThatCompletedIsRecordedAndItsRetryGetsTheResultWithoutRunning()
      throws Exception {
    FrameClient c = connect(server);
    c.send(request("r-1", "async", "{}"));
    awaitCalls(1);
    c.send(cancel("r-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get(0).isCancelled());
    stages.get(0).complete("done anyway");

    JsonNode retry = connect(server).call(request("r-1", "async", "{}"));

    assertThat(assertResult(retry).asText()).isEqualTo("done anyway");
    assertThat(calls).hasSize(1);
  }

  @Test
  void otherCallsOnTheConnectionAreAnsweredWhileTheCancelledOneIsPending() throws Exception {
    FrameClient c = connect(server);
    c.send(request("p-1", "async", "{}"));
    awaitCalls(1);
    c.send(cancel("p-1"));

    JsonNode answer = c.call(request("p-2", "record", "{}"));

    assertThat(answer.get("id").asText()).isEqualTo("p-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get(0).isCancelled());
  }

  @Test
  void aCancelForAnAnsweredIdDoesNothing() throws Exception {
    FrameClient c = connect(server);
    assertResult(c.call(request("d-1", "record", "{}")));

    c.send(cancel("d-1"));
    JsonNode again = c.call(request("d-1", "record", "{}"));

    // answered from the record of the first call: the late cancel did not touch it
    assertThat(assertResult(again).asText()).isEqualTo("recorded d-1");
    assertThat(recorded).containsExactly("d-1");
  }

  @Test
  void numericIdsCanBeCancelled() throws Exception {
    FrameClient c = connect(server);
    c.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"async\",\"params\":{}}");
    awaitCalls(1);
    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":7}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get(0).isCancelled());

    stages.get(0).complete("late");
    JsonNode next = c.call(request("n-2", "record", "{}"));

    assertThat(next.get("id").asText()).isEqualTo("n-2");
  }

  @Test
  void cancelSentAsARequestWithAnIdIsMethodNotFoundAndCancelsNothing() throws Exception {
    FrameClient c = connect(server);
    c.send(request("m-1", "async", "{}"));
    awaitCalls(1);

    JsonNode answer = c.call(request("m-2", "$/cancel", "{\"id\":\"m-1\"}"));

    assertError(answer, -32601);
    assertThat(calls.get(0).isCancelled()).isFalse();
  }
}

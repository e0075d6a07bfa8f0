package io.keelrpc.server.cancel;

import static io.keelrpc.server.cancel.CancelFixtures.ASYNC;
import static io.keelrpc.server.cancel.CancelFixtures.RECORD;
import static io.keelrpc.server.cancel.CancelFixtures.cancel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.CancelledException;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the idempotency record keeps of a cancelled call: a handler that ran to an outcome is
 * recorded as usual (see {@link KeelServerCancelAnswerTest}); one that gives up by throwing
 * {@link CancelledException} after the cancel declared it left no effects, so nothing is recorded.
 * Stages are completed by the test, so the server has handled the outcome when
 * {@code complete} returns.
 */
class KeelServerCancelIdempotencyTest extends ServerTestSupport {
  private final List<CallContext> calls = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<String>> stages = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
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
          refusals.incrementAndGet();
          throw new CancelledException("refused without being cancelled");
        }));
  }

  @AfterEach
  void completeLeftovers() {
    stages.forEach(f -> f.complete("test ended"));
  }

  private CallContext awaitCall(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() >= n);
    return calls.get(n - 1);
  }

  private void cancelAndAwait(FrameClient c, String id, CallContext call) throws Exception {
    c.send(cancel(id));
    await().atMost(Duration.ofSeconds(5)).until(call::isCancelled);
  }

  @Test
  void handlerThatGivesUpAfterTheCancelLeavesNoRecordSoTheRetryRunsAgain() throws Exception {
    FrameClient c = connect(server);
    c.send(request("g-1", "async", "{}"));
    cancelAndAwait(c, "g-1", awaitCall(1));

    stages.get(0).completeExceptionally(new CancelledException("gave up"));
    c.send(request("g-1", "async", "{}"));
    awaitCall(2);
    stages.get(1).complete("second run");

    JsonNode answer = c.read();
    assertThat(answer.get("id").asText()).isEqualTo("g-1");
    assertThat(assertResult(answer).asText()).isEqualTo("second run");
  }

  @Test
  void duplicateThatJoinedAnExecutionWhichGaveUpIsToldToRetry() throws Exception {
    FrameClient owner = connect(server);
    FrameClient duplicate = connect(server);
    owner.send(request("j-1", "async", "{}"));
    CallContext call = awaitCall(1);
    duplicate.send(request("j-1", "async", "{}"));
    // answered after the duplicate was read, and so had joined the running execution
    assertError(duplicate.call(request("probe", "$/nothing", "{}")), -32601);
    cancelAndAwait(owner, "j-1", call);

    stages.get(0).completeExceptionally(new CancelledException("gave up"));

    JsonNode answer = duplicate.read();
    assertThat(answer.get("id").asText()).isEqualTo("j-1");
    assertError(answer, -32003); // UNAVAILABLE: nothing was recorded, a retry may run it
    assertThat(calls).hasSize(1);
  }

  @Test
  void duplicateThatJoinedACancelledExecutionWhichCompletedGetsItsResult() throws Exception {
    FrameClient owner = connect(server);
    FrameClient duplicate = connect(server);
    owner.send(request("k-1", "async", "{}"));
    CallContext call = awaitCall(1);
    duplicate.send(request("k-1", "async", "{}"));
    assertError(duplicate.call(request("probe", "$/nothing", "{}")), -32601);
    cancelAndAwait(owner, "k-1", call);

    stages.get(0).complete("finished anyway");

    assertThat(assertResult(duplicate.read()).asText()).isEqualTo("finished anyway");
    assertThat(calls).hasSize(1);
  }

  @Test
  void cancelledExceptionWithoutACancelIsAnOrdinaryRecordedAnswer() throws Exception {
    FrameClient c = connect(server);

    JsonNode first = c.call(request("x-1", "record", "{}"));
    JsonNode retry = c.call(request("x-1", "record", "{}"));

    assertError(first, -32005);
    assertThat(retry).isEqualTo(first);
    assertThat(refusals).hasValue(1);
  }
}

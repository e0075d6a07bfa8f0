package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.KeyParams;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Handlers registered with {@code handleAsync}: answered when their stage completes. */
class KeelServerAsyncHandlerTest extends ServerTestSupport {
  static final MethodDescriptor<KeyParams, Counter> LOOKUP =
      MethodDescriptor.of("lookup", KeyParams.class, Counter.class);

  private final ConcurrentLinkedQueue<CompletableFuture<Counter>> pending =
      new ConcurrentLinkedQueue<>();

  @AfterEach
  void failLeftovers() {
    pending.forEach(f -> f.completeExceptionally(new IllegalStateException("test ended")));
  }

  private KeelServer startLookupServer() {
    return start(builder().handleAsync(LOOKUP, (p, ctx) -> {
      CompletableFuture<Counter> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }));
  }

  @Test
  void stageCompletedLaterIsAnswered() throws IOException {
    KeelServer server = startLookupServer();
    FrameClient c = connect(server);

    c.send(request("async-1", "lookup", "{\"key\":\"a\"}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 1);
    pending.peek().complete(new Counter("a", 41));
    JsonNode answer = c.read();

    assertThat(answer.get("id").asText()).isEqualTo("async-1");
    assertThat(assertResult(answer).get("value").asLong()).isEqualTo(41);
  }

  @Test
  void laterRequestsAreAnsweredWhileAnEarlierStageIsPending() throws IOException {
    KeelServer server = startLookupServer();
    FrameClient c = connect(server);

    c.send(request("slow", "lookup", "{\"key\":\"a\"}"));
    c.send(request("fast", "lookup", "{\"key\":\"b\"}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 2);
    CompletableFuture<Counter> slow = pending.poll();
    pending.poll().complete(new Counter("b", 2));
    JsonNode first = c.read();
    slow.complete(new Counter("a", 1));
    JsonNode second = c.read();

    assertThat(first.get("id").asText()).isEqualTo("fast");
    assertThat(second.get("id").asText()).isEqualTo("slow");
  }

  @Test
  void failedStageIsInternalError() throws IOException {
    KeelServer server = startLookupServer();
    FrameClient c = connect(server);

    c.send(request("async-2", "lookup", "{\"key\":\"a\"}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 1);
    pending.peek().completeExceptionally(new IllegalStateException("backend down"));
    JsonNode answer = c.read();

    JsonNode error = assertError(answer, ErrorCode.INTERNAL_ERROR.code());
    assertThat(error.toString()).doesNotContain("IllegalStateException").doesNotContain("backend");
    assertThat(answer.get("id").asText()).isEqualTo("async-2");
  }

  @Test
  void stageFailedWithApplicationExceptionKeepsItsCode() throws IOException {
    KeelServer server = startLookupServer();
    FrameClient c = connect(server);

    c.send(request("async-3", "lookup", "{\"key\":\"a\"}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 1);
    pending.peek().completeExceptionally(new ApplicationException(2001, "no such key"));

    assertError(c.read(), 2001);
  }

  @Test
  void asyncHandlerThrowingOrReturningNullIsInternalError() throws IOException {
    MethodDescriptor<KeyParams, Counter> throwing =
        MethodDescriptor.of("throwing", KeyParams.class, Counter.class);
    MethodDescriptor<KeyParams, Counter> returningNull =
        MethodDescriptor.of("returningNull", KeyParams.class, Counter.class);
    KeelServer server = start(builder()
        .handleAsync(throwing, (p, ctx) -> {
          throw new IllegalStateException("thrown on the I/O thread");
        })
        .handleAsync(returningNull, (p, ctx) -> null));
    FrameClient c = connect(server);

    assertError(c.call(request("t", "throwing", "{\"key\":\"a\"}")), ErrorCode.INTERNAL_ERROR.code());
    assertError(c.call(request("n", "returningNull", "{\"key\":\"a\"}")),
        ErrorCode.INTERNAL_ERROR.code());
  }
}

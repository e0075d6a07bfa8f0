package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retried calls are deduplicated over real sockets: never re-executed, answered with their own id. */
class KeelServerIdempotencyTest extends ServerTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);
  static final MethodDescriptor<IncParams, Counter> FAILING_INC =
      MethodDescriptor.of("failingInc", IncParams.class, Counter.class);

  private final CounterService counters = new CounterService();

  @Test
  void duplicateDuringExecutionRunsHandlerOnce() throws IOException {
    Gate gate = gate();
    ObservedStore store = new ObservedStore(InMemoryIdempotencyStore.builder().build());
    KeelServer server = start(counters.registerOn(builder()).idempotencyStore(store)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient first = connect(server);
    FrameClient second = connect(server);
    String id = newId();
    String req = request(id, "slowInc", "{\"key\":\"d\",\"delta\":3}");

    first.send(req);
    gate.awaitEntered(1);
    second.send(req);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.claims() == 2);
    gate.open();
    JsonNode a = first.read();
    JsonNode b = second.read();

    assertThat(a).isEqualTo(b);
    assertThat(a.get("id").asText()).isEqualTo(id);
    assertThat(assertResult(a).get("value").asLong()).isEqualTo(3);
    assertThat(gate.entered()).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void duplicateAfterCompletionGetsCachedAnswerWithItsOwnId() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    String meta = "{\"idempotencyKey\":\"key-1\"}";

    JsonNode first = FrameClient.callOnce(server.port(),
        request("attempt-1", "inc", "{\"key\":\"c\",\"delta\":4}", meta));
    JsonNode second = FrameClient.callOnce(server.port(),
        request("attempt-2", "inc", "{\"key\":\"c\",\"delta\":4}", meta));

    assertThat(first.get("id").asText()).isEqualTo("attempt-1");
    assertThat(second.get("id").asText()).isEqualTo("attempt-2");
    assertThat(assertResult(second)).isEqualTo(assertResult(first));
    assertThat(assertResult(second).get("value").asLong()).isEqualTo(4);
    assertThat(counters.incRuns()).isEqualTo(1);
    assertThat(counters.value("c")).isEqualTo(4);
  }

  @Test
  void cachedAnswerMirrorsTheDuplicatesStyle() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    String id = newId();

    JsonNode withVersion = FrameClient.callOnce(server.port(),
        request(id, "inc", "{\"key\":\"s\"}"));
    JsonNode without = FrameClient.callOnce(server.port(),
        "{\"id\":\"" + id + "\",\"method\":\"inc\",\"params\":{\"key\":\"s\"}}");

    assertThat(withVersion.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(without.has("jsonrpc")).isFalse();
    assertThat(without.get("result")).isEqualTo(withVersion.get("result"));
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void errorOutcomeOfAnExecutedCallIsReplayedNotReExecuted() throws IOException {
    AtomicInteger runs = new AtomicInteger();
    KeelServer server = start(builder().handle(FAILING_INC, (p, ctx) -> {
      throw new ApplicationException(1002, "failed after effects, run " + runs.incrementAndGet());
    }));
    String id = newId();

    JsonNode first = FrameClient.callOnce(server.port(), request(id, "failingInc", "{\"key\":\"e\"}"));
    JsonNode retry = FrameClient.callOnce(server.port(), request(id, "failingInc", "{\"key\":\"e\"}"));

    assertError(first, 1002);
    assertThat(retry).isEqualTo(first);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void sameKeyWithDifferentParamsIsIdempotencyKeyReused() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    String id = newId();

    JsonNode first = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"r\",\"delta\":1}"));
    JsonNode reuse = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"r\",\"delta\":2}"));

    assertResult(first);
    assertError(reuse, ErrorCode.IDEMPOTENCY_KEY_REUSED.code());
    assertThat(reuse.get("id").asText()).isEqualTo(id);
    assertThat(counters.incRuns()).isEqualTo(1);
    assertThat(counters.value("r")).isEqualTo(1);
  }

  @Test
  void sameKeyWithDifferentMethodIsIdempotencyKeyReused() throws IOException {
    KeelServer server = start(counters.registerOn(builder())
        .handle(SLOW_INC, (p, ctx) -> counters.inc(p)));
    String meta = "{\"idempotencyKey\":\"shared-key\"}";

    JsonNode first = FrameClient.callOnce(server.port(),
        request("m1", "inc", "{\"key\":\"q\"}", meta));
    JsonNode reuse = FrameClient.callOnce(server.port(),
        request("m2", "slowInc", "{\"key\":\"q\"}", meta));

    assertResult(first);
    assertError(reuse, ErrorCode.IDEMPOTENCY_KEY_REUSED.code());
    assertThat(reuse.get("id").asText()).isEqualTo("m2");
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void numericIdsAreNotDeduplicated() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    String req = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"inc\",\"params\":{\"key\":\"num\"}}";

    JsonNode first = FrameClient.callOnce(server.port(), req);
    JsonNode second = FrameClient.callOnce(server.port(), req);

    assertThat(assertResult(first).get("value").asLong()).isEqualTo(1);
    assertThat(assertResult(second).get("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(2);
  }

  @Test
  void readOnlyMethodsRunEveryTime() throws IOException {
    KeelServer server = start(counters.registerOn(builder()));
    String id = newId();
    FrameClient c = connect(server);

    JsonNode before = c.call(request(id, "get", "{\"key\":\"ro\"}"));
    c.call(request(newId(), "inc", "{\"key\":\"ro\"}"));
    JsonNode after = c.call(request(id, "get", "{\"key\":\"ro\"}"));

    assertThat(assertResult(before).get("value").asLong()).isZero();
    assertThat(assertResult(after).get("value").asLong()).isEqualTo(1);
    assertThat(counters.getRuns()).isEqualTo(2);
  }

  @Test
  void overloadedAttemptIsNotCachedSoRetryExecutes() throws IOException {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder().workerThreads(1).queueCapacity(0))
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient c = connect(server);
    String id = newId();

    c.send(request(newId(), "slowInc", "{\"key\":\"blocker\"}"));
    gate.awaitEntered(1);
    JsonNode rejected = c.call(request(id, "inc", "{\"key\":\"o\"}"));
    gate.open();
    c.read(); // the blocker's answer
    JsonNode retry = c.call(request(id, "inc", "{\"key\":\"o\"}"));

    assertError(rejected, ErrorCode.OVERLOADED.code());
    assertThat(assertResult(retry).get("value").asLong()).isEqualTo(1);
    assertThat(counters.value("o")).isEqualTo(1);
  }

  @Test
  void deadlineExceededAttemptIsNotCachedSoRetryExecutes() throws IOException {
    FakeClock clock = new FakeClock();
    Gate gate = gate();
    ObservedStore store = new ObservedStore(
        InMemoryIdempotencyStore.builder().ticker(clock).build());
    KeelServer server = start(counters.registerOn(builder().workerThreads(1).ticker(clock))
        .idempotencyStore(store)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient c = connect(server);
    String id = newId();

    c.send(request(newId(), "slowInc", "{\"key\":\"blocker\"}"));
    gate.awaitEntered(1);
    c.send(request(id, "inc", "{\"key\":\"late\"}", "{\"timeoutMs\":100}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.claims() == 2);
    clock.advance(Duration.ofMillis(150));
    gate.open();
    JsonNode[] answers = {c.read(), c.read()};
    JsonNode rejected = answers[0].get("id").asText().equals(id) ? answers[0] : answers[1];
    JsonNode retry = c.call(request(id, "inc", "{\"key\":\"late\"}", "{\"timeoutMs\":100}"));

    assertError(rejected, ErrorCode.DEADLINE_EXCEEDED.code());
    assertThat(assertResult(retry).get("value").asLong()).isEqualTo(1);
    assertThat(counters.value("late")).isEqualTo(1);
  }

  @Test
  void disabledIdempotencyRunsHandlerAgain() throws IOException {
    KeelServer server = start(counters.registerOn(builder()).idempotency(false));
    String id = newId();

    JsonNode first = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"off\"}"));
    JsonNode second = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"off\"}"));

    assertThat(assertResult(first).get("value").asLong()).isEqualTo(1);
    assertThat(assertResult(second).get("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(2);
  }

  @Test
  void cachedAnswerExpiresAfterTheTtl() throws IOException {
    FakeClock clock = new FakeClock();
    KeelServer server = start(counters.registerOn(builder().ticker(clock)));
    String id = newId();

    FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"ttl\"}"));
    clock.advance(InMemoryIdempotencyStore.DEFAULT_TTL.minusMillis(1));
    JsonNode cached = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"ttl\"}"));
    clock.advance(Duration.ofMillis(2));
    JsonNode executed = FrameClient.callOnce(server.port(), request(id, "inc", "{\"key\":\"ttl\"}"));

    assertThat(assertResult(cached).get("value").asLong()).isEqualTo(1);
    assertThat(assertResult(executed).get("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(2);
  }
}

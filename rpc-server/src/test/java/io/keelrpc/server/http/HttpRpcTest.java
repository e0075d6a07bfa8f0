package io.keelrpc.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code POST /rpc}: JSON-RPC 2.0 over HTTP/1.1 reaching the same handlers as {@code keel/1}. */
class HttpRpcTest extends HttpTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);
  static final MethodDescriptor<Void, String> WHO_AM_I =
      MethodDescriptor.of("whoAmI", Void.class, String.class);

  private final CounterService counters = new CounterService();

  private static String inc(int id, String key) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"inc\",\"params\":{\"key\":\""
        + key + "\",\"delta\":2}}";
  }

  @Test
  void postRpcRunsTheHandlerAndAnswersWithTheJsonRpcResponse() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> r = postRpc(server, inc(1, "a"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json(r.body())).isEqualTo(
        json("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"key\":\"a\",\"value\":2}}"));
    assertThat(counters.value("a")).isEqualTo(2);
  }

  @Test
  void errorsAreJsonRpcErrorObjectsWithKeelsTypedCodesOnHttp200() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> unknown = postRpc(server,
        "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nope\",\"params\":{}}");
    HttpResponse<String> badParams = postRpc(server,
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"inc\",\"params\":{\"key\":[]}}");

    assertThat(unknown.statusCode()).isEqualTo(200);
    JsonNode e = assertError(json(unknown.body()), ErrorCode.METHOD_NOT_FOUND.code());
    assertThat(e.get("message").asText()).isEqualTo("method not found: \"nope\"");
    assertThat(json(unknown.body()).get("id").asText()).isEqualTo("x");
    assertError(json(badParams.body()), ErrorCode.INVALID_PARAMS.code());
  }

  @Test
  void keepAliveConnectionCarriesManyRequests() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));
    HttpWire w = wire(server);

    for (int i = 1; i <= 20; i++) {
      HttpWire.Response r = w.exchange(HttpWire.post("/rpc", inc(i, "k"), ""));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("id").asInt()).isEqualTo(i);
      assertThat(assertResult(r.json()).get("value").asLong()).isEqualTo(2L * i);
    }
    assertThat(server.openConnections()).isEqualTo(1);
  }

  @Test
  void malformedJsonIsAParseErrorAndTheConnectionStaysUsable() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));
    HttpWire w = wire(server);

    HttpWire.Response bad = w.exchange(HttpWire.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":", ""));
    HttpWire.Response empty = w.exchange(HttpWire.post("/rpc", "", ""));
    HttpWire.Response good = w.exchange(HttpWire.post("/rpc", inc(3, "m"), ""));

    assertThat(bad.status()).isEqualTo(200);
    JsonNode e = assertError(bad.json(), ErrorCode.PARSE_ERROR.code());
    assertThat(e.get("message").asText()).startsWith("not valid JSON: ");
    assertThat(bad.json().get("id").isNull()).isTrue();
    assertThat(assertError(empty.json(), ErrorCode.PARSE_ERROR.code()).get("message").asText())
        .isEqualTo("empty body: POST /rpc takes one JSON-RPC request object");
    assertThat(assertResult(good.json()).get("value").asLong()).isEqualTo(2);
  }

  @Test
  void notificationRunsAndIsAnswered204WithoutBody() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));
    HttpWire w = wire(server);

    HttpWire.Response r = w.exchange(HttpWire.post("/rpc",
        "{\"jsonrpc\":\"2.0\",\"method\":\"inc\",\"params\":{\"key\":\"n\"}}", ""));

    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(counters.value("n")).isEqualTo(1);
    assertThat(w.exchange(HttpWire.post("/rpc", inc(1, "n"), "")).status()).isEqualTo(200);
  }

  @Test
  void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()).handle(SLOW_INC, (p, ctx) -> {
      gate.pass();
      return counters.inc(p);
    }));
    HttpWire w = wire(server);

    w.send(HttpWire.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slowInc\","
        + "\"params\":{\"key\":\"p\"}}", "") + HttpWire.post("/rpc", inc(2, "q"), ""));
    gate.awaitEntered(1);
    await().until(() -> counters.value("q") == 2); // 2nd ran first
    gate.open();

    assertThat(w.read().json().get("id").asInt()).isEqualTo(1);
    assertThat(w.read().json().get("id").asInt()).isEqualTo(2);
  }

  @Test
  void pipelinedRequestsBeyondTheInFlightLimitAreAllAnswered() throws Exception {
    KeelServer server = start(counters.registerOn(builder().maxInFlightPerConnection(1)));
    HttpWire w = wire(server);
    StringBuilder batch = new StringBuilder();
    for (int i = 1; i <= 10; i++) {
      batch.append(HttpWire.post("/rpc", inc(i, "f"), ""));
    }

    w.send(batch.toString());

    Set<Long> values = new TreeSet<>();
    for (int i = 1; i <= 10; i++) {
      HttpWire.Response r = w.read();
      assertThat(r.json().get("id").asInt()).isEqualTo(i);
      values.add(assertResult(r.json()).get("value").asLong());
    }
    assertThat(values).containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 20L);
    assertThat(w.exchange(HttpWire.get("/health/live")).status()).isEqualTo(200);
  }

  @Test
  void fullServerAnswersOverloadedWithRetryAfter() throws Exception {
    Gate gate = gate();
    KeelServer server = start(builder().workerThreads(1).queueCapacity(0)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    HttpWire busy = wire(server);
    busy.send(HttpWire.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slowInc\","
        + "\"params\":{\"key\":\"o\"}}", ""));
    gate.awaitEntered(1);

    HttpResponse<String> r = postRpc(server, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"slowInc\","
        + "\"params\":{\"key\":\"o\"}}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode e = assertError(json(r.body()), ErrorCode.OVERLOADED.code());
    assertThat(e.path("data").path("retryAfterMs").asLong()).isEqualTo(50);
    gate.open();
    assertThat(assertResult(busy.read().json()).get("value").asLong()).isEqualTo(1);
  }

  @Test
  void authorizationHeaderAuthenticatesLikeMetaAuthorization() throws Exception {
    KeelServer server = start(builder()
        .authenticator(Authenticator.bearerTokens(Map.of("t-alice", "alice")))
        .handle(WHO_AM_I, (p, ctx) -> ctx.principal().orElseThrow().getName()));
    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"whoAmI\"}";

    HttpResponse<String> none = postRpc(server, call);
    HttpResponse<String> wrong = postRpc(server, call, "Authorization", "Bearer t-mallory");
    HttpResponse<String> right = postRpc(server, call, "Authorization", "Bearer t-alice");
    HttpResponse<String> inMeta = postRpc(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
        + "\"whoAmI\",\"meta\":{\"authorization\":\"Bearer t-alice\"}}");

    assertError(json(none.body()), ErrorCode.UNAUTHENTICATED.code());
    assertThat(assertError(json(wrong.body()), ErrorCode.UNAUTHENTICATED.code())
        .get("message").asText()).isEqualTo("invalid bearer token");
    assertThat(assertResult(json(right.body())).asText()).isEqualTo("alice");
    assertThat(assertResult(json(inMeta.body())).asText()).isEqualTo("alice");
  }

  @Test
  void idempotencyKeyHeaderDeduplicatesRetries() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> first = postRpc(server, inc(1, "i"), "Idempotency-Key", "op-1");
    HttpResponse<String> retry = postRpc(server, inc(2, "i"), "Idempotency-Key", "op-1");
    HttpResponse<String> other = postRpc(server, inc(3, "j"), "Idempotency-Key", "op-1");

    assertThat(assertResult(json(first.body())).get("value").asLong()).isEqualTo(2);
    assertThat(json(retry.body()).get("id").asInt()).isEqualTo(2);
    assertThat(assertResult(json(retry.body())).get("value").asLong()).isEqualTo(2);
    assertError(json(other.body()), ErrorCode.IDEMPOTENCY_KEY_REUSED.code());
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void timeoutHeaderIsTheCallersBudget() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> spent = postRpc(server, inc(1, "t"), "Keel-Timeout-Ms", "0");
    HttpResponse<String> plenty = postRpc(server, inc(2, "t"), "Keel-Timeout-Ms", "5000");
    HttpResponse<String> garbage = postRpc(server, inc(3, "t"), "Keel-Timeout-Ms", "soon");

    assertError(json(spent.body()), ErrorCode.DEADLINE_EXCEEDED.code());
    assertResult(json(plenty.body()));
    JsonNode e = assertError(json(garbage.body()), ErrorCode.INVALID_REQUEST.code());
    assertThat(e.get("message").asText()).isEqualTo(
        "header Keel-Timeout-Ms must be a non-negative integer of milliseconds, got \"soon\"");
    assertThat(json(garbage.body()).get("id").asInt()).isEqualTo(3);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void headerAndMetaThatDisagreeAreRefused() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> r = postRpc(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"inc\","
        + "\"params\":{\"key\":\"d\"},\"meta\":{\"idempotencyKey\":\"a\"}}",
        "Idempotency-Key", "b");

    assertThat(assertError(json(r.body()), ErrorCode.INVALID_REQUEST.code()).get("message")
        .asText()).isEqualTo("header Idempotency-Key and \"meta.idempotencyKey\" disagree; send "
            + "one of them, or the same value in both");
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void streamsAreRefusedOverHttp() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> r = postRpc(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"inc\","
        + "\"meta\":{\"stream\":\"server\"}}");

    assertThat(assertError(json(r.body()), ErrorCode.INVALID_REQUEST.code()).get("message")
        .asText()).isEqualTo("streams are not served over HTTP; open \"inc\" on keel/1");
  }
}

package io.keelrpc.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /health}, {@code /metrics} and the answers to paths and methods that are not routes. */
class HttpRoutesTest extends HttpTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);

  private final CounterService counters = new CounterService();
  private final ExecutorService shutdownThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopShutdownThread() {
    shutdownThread.shutdownNow();
  }

  @Test
  void healthIsUpAndReady() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> health = get(server, "/health");
    HttpResponse<String> ready = get(server, "/health/ready");
    HttpResponse<String> live = get(server, "/health/live");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode h = json(health.body());
    assertThat(h.get("status").asText()).isEqualTo("UP");
    assertThat(h.get("live").asBoolean()).isTrue();
    assertThat(h.get("ready").asBoolean()).isTrue();
    assertThat(h.get("draining").asBoolean()).isFalse();
    assertThat(h.get("openConnections").asInt()).isPositive();
    assertThat(h.get("callsInFlight").asInt()).isZero();
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready.body()).get("ready").asBoolean()).isTrue();
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(json(live.body())).isEqualTo(json("{\"status\":\"UP\",\"live\":true}"));
  }

  @Test
  void drainingServerIsLiveButNotReady() throws Exception {
    Gate gate = gate();
    KeelServer server = start(counters.registerOn(builder()).handle(SLOW_INC, (p, ctx) -> {
      gate.pass();
      return counters.inc(p);
    }));
    HttpWire probe = wire(server);
    HttpWire running = wire(server);
    assertThat(probe.exchange(HttpWire.get("/health")).status()).isEqualTo(200);
    running.send(HttpWire.post("/rpc", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slowInc\","
        + "\"params\":{\"key\":\"s\"}}", ""));
    gate.awaitEntered(1);

    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
        () -> server.shutdown(Duration.ofSeconds(5)), shutdownThread);
    await().atMost(Duration.ofSeconds(5)).until(
        () -> probe.exchange(HttpWire.get("/health")).status() == 503);
    HttpWire.Response health = probe.exchange(HttpWire.get("/health"));
    HttpWire.Response ready = probe.exchange(HttpWire.get("/health/ready"));
    HttpWire.Response live = probe.exchange(HttpWire.get("/health/live"));

    JsonNode h = health.json();
    assertThat(h.get("status").asText()).isEqualTo("DRAINING");
    assertThat(h.get("live").asBoolean()).isTrue();
    assertThat(h.get("ready").asBoolean()).isFalse();
    assertThat(h.get("callsInFlight").asInt()).isEqualTo(1);
    assertThat(ready.status()).isEqualTo(503);
    assertThat(live.status()).isEqualTo(200);
    gate.open();
    assertResult(running.read().json());
    shutdown.get(10, TimeUnit.SECONDS);
  }

  @Test
  void metricsServesTheConfiguredPrometheusText() throws Exception {
    String text = "# HELP keel_calls_total Calls.\n# TYPE keel_calls_total counter\n"
        + "keel_calls_total{method=\"inc\"} 3.0\n";
    KeelServer server = start(counters.registerOn(builder()).metricsEndpoint(() -> text));

    HttpResponse<String> r = get(server, "/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo(text);
  }

  @Test
  void metricsNotConfiguredIs404SayingHowToConfigureThem() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));

    HttpResponse<String> r = get(server, "/metrics");

    assertThat(r.statusCode()).isEqualTo(404);
    JsonNode body = json(r.body());
    assertThat(body.get("status").asInt()).isEqualTo(404);
    assertThat(body.get("message").asText()).startsWith("metrics are not configured")
        .contains("metricsEndpoint(prometheusRegistry::scrape)");
  }

  @Test
  void failingMetricsSupplierIs500AndTheConnectionStays() throws Exception {
    KeelServer server = start(counters.registerOn(builder()).metricsEndpoint(() -> {
      throw new IllegalStateException("registry closed");
    }));
    HttpWire w = wire(server);

    HttpWire.Response r = w.exchange(HttpWire.get("/metrics"));

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.json().get("message").asText()).startsWith("the metrics supplier failed; "
        + "see the server log, ref ");
    assertThat(w.exchange(HttpWire.get("/health")).status()).isEqualTo(200);
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405WithJsonBodies() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));
    HttpWire w = wire(server);

    HttpWire.Response unknown = w.exchange(HttpWire.get("/nope?x=1"));
    HttpWire.Response getRpc = w.exchange(HttpWire.get("/rpc"));
    HttpWire.Response postHealth = w.exchange(HttpWire.post("/health", "{}", ""));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("content-type")).isEqualTo("application/json");
    assertThat(unknown.json().get("message").asText()).isEqualTo("no route for GET /nope; this "
        + "server answers POST /rpc, GET /health, GET /health/live, GET /health/ready, "
        + "GET /metrics");
    assertThat(getRpc.status()).isEqualTo(405);
    assertThat(getRpc.header("allow")).isEqualTo("POST");
    assertThat(getRpc.json().get("message").asText())
        .isEqualTo("GET is not allowed on /rpc (expected: POST)");
    assertThat(postHealth.status()).isEqualTo(405);
    assertThat(postHealth.header("allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void headIsAnsweredLikeGetWithoutTheBody() throws Exception {
    KeelServer server = start(counters.registerOn(builder()));
    HttpWire w = wire(server);

    w.send("HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    HttpWire.Response head = w.readHead();
    HttpWire.Response after = w.exchange(HttpWire.get("/health/live"));

    assertThat(head.status()).isEqualTo(200);
    assertThat(Integer.parseInt(head.header("content-length"))).isPositive();
    assertThat(after.json().get("live").asBoolean()).isTrue();
  }
}

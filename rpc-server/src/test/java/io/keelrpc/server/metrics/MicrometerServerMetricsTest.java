package io.keelrpc.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The server's meters over real loopback connections. */
class MicrometerServerMetricsTest extends ServerTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);
  static final MethodDescriptor<IncParams, Counter> REFUSE =
      MethodDescriptor.of("refuse", IncParams.class, Counter.class);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final CounterService counters = new CounterService();

  private KeelServer.Builder withMetrics() {
    return counters.registerOn(builder()).listener(new MicrometerServerMetrics(registry));
  }

  private long calls(String method, String code) {
    var timer = registry.find("keel.server.calls").tags("method", method, "code", code).timer();
    return timer == null ? 0 : timer.count();
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void callsAreCountedByMethodAndCode() throws IOException {
    KeelServer server = start(withMetrics()
        .handle(REFUSE, (p, ctx) -> {
          throw new ApplicationException(1001, "refused");
        }));
    FrameClient c = connect(server);

    assertResult(c.call(request(newId(), "inc", "{\"key\":\"a\",\"delta\":1}")));
    assertResult(c.call(request(newId(), "inc", "{\"key\":\"a\",\"delta\":1}")));
    assertError(c.call(request(newId(), "inc", "{\"key\":[1]}")),
        ErrorCode.INVALID_PARAMS.code());
    assertError(c.call(request(newId(), "refuse", "{\"key\":\"a\"}")), 1001);
    assertError(c.call(request(newId(), "no-such-" + newId(), "{}")),
        ErrorCode.METHOD_NOT_FOUND.code());

    assertThat(calls("inc", "OK")).isEqualTo(2);
    assertThat(calls("inc", "INVALID_PARAMS")).isEqualTo(1);
    assertThat(calls("refuse", "1001")).isEqualTo(1);
    assertThat(calls("$unknown", "METHOD_NOT_FOUND")).as("unregistered names are not tags")
        .isEqualTo(1);
    assertThat(registry.find("keel.server.calls").timers()).hasSize(4);
    assertThat(registry.get("keel.server.calls").tags("method", "inc", "code", "OK").timer()
        .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(counter("keel.server.rejections")).isZero();
  }

  @Test
  void overloadedRejectionIsCountedAndQueueDepthIsGauged() throws IOException {
    Gate gate = gate();
    KeelServer server = start(withMetrics().workerThreads(1).queueCapacity(1)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient running = connect(server);
    FrameClient queued = connect(server);
    FrameClient refused = connect(server);

    running.send(request(newId(), "slowInc", "{\"key\":\"a\",\"delta\":1}"));
    gate.awaitEntered(1);
    queued.send(request(newId(), "slowInc", "{\"key\":\"b\",\"delta\":1}"));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gauge("keel.server.queue.depth") == 1);
    assertThat(gauge("keel.server.calls.admitted")).isEqualTo(2);
    assertError(refused.call(request(newId(), "slowInc", "{\"key\":\"c\",\"delta\":1}")),
        ErrorCode.OVERLOADED.code());

    assertThat(counter("keel.server.rejections", "method", "slowInc")).isEqualTo(1);
    assertThat(calls("slowInc", "OVERLOADED")).isEqualTo(1);

    gate.open();
    assertResult(running.read());
    assertResult(queued.read());
    assertThat(calls("slowInc", "OK")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gauge("keel.server.calls.admitted") == 0);
    assertThat(gauge("keel.server.queue.depth")).isZero();
  }

  @Test
  void retriedCallWithTheSameKeyCountsMissJoinHitAndConflict() throws IOException {
    Gate gate = gate();
    KeelServer server = start(withMetrics()
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient first = connect(server);
    FrameClient retry = connect(server);
    String id = newId();
    String req = request(id, "slowInc", "{\"key\":\"d\",\"delta\":3}");

    first.send(req);
    gate.awaitEntered(1);
    assertThat(counter("keel.server.idempotency", "result", "miss")).isEqualTo(1);
    retry.send(req); // the retry while the first attempt still runs: joins it
    await().atMost(Duration.ofSeconds(5))
        .until(() -> counter("keel.server.idempotency", "result", "join") == 1);
    gate.open();
    assertThat(first.read()).isEqualTo(retry.read());
    JsonNode late = retry.call(req); // a retry after completion: answered from the cache
    JsonNode reused = retry.call(request(id, "slowInc", "{\"key\":\"d\",\"delta\":4}"));

    assertThat(assertResult(late).get("value").asLong()).isEqualTo(3);
    assertError(reused, ErrorCode.IDEMPOTENCY_KEY_REUSED.code());
    assertThat(counter("keel.server.idempotency", "result", "miss")).isEqualTo(1);
    assertThat(counter("keel.server.idempotency", "result", "join")).isEqualTo(1);
    assertThat(counter("keel.server.idempotency", "result", "hit")).isEqualTo(1);
    assertThat(counter("keel.server.idempotency", "result", "conflict")).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void readOnlyCallsDoNotLookUpTheCache() throws IOException {
    KeelServer server = start(withMetrics());

    assertResult(FrameClient.callOnce(server.port(), request(newId(), "get", "{\"key\":\"a\"}")));

    assertThat(calls("get", "OK")).isEqualTo(1);
    assertThat(registry.find("keel.server.idempotency").counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void activeConnectionsGoUpAndDown() throws IOException {
    KeelServer server = start(withMetrics());
    FrameClient a = FrameClient.connect(server.port());
    FrameClient b = connect(server);

    await().atMost(Duration.ofSeconds(5))
        .until(() -> gauge("keel.server.connections.active") == 2);
    assertThat(counter("keel.server.connections.opened")).isEqualTo(2);
    a.close();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gauge("keel.server.connections.active") == 1);
    b.close();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> gauge("keel.server.connections.active") == 0);
    assertThat(counter("keel.server.connections.opened")).isEqualTo(2);
  }

  @Test
  void commonTagsAreOnEveryMeter() throws IOException {
    KeelServer server = start(counters.registerOn(builder())
        .listener(new MicrometerServerMetrics(registry, Tags.of("server", "orders"))));

    assertResult(FrameClient.callOnce(server.port(),
        request(newId(), "inc", "{\"key\":\"a\",\"delta\":1}")));

    assertThat(registry.getMeters()).isNotEmpty()
        .allSatisfy(m -> assertThat(m.getId().getTag("server")).isEqualTo("orders"));
  }

  @Test
  void prometheusScrapeNamesEveryServerMeter() throws IOException {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KeelServer server = start(counters.registerOn(builder())
        .listener(new MicrometerServerMetrics(prometheus)));
    assertResult(FrameClient.callOnce(server.port(),
        request(newId(), "inc", "{\"key\":\"a\",\"delta\":1}")));

    String text = prometheus.scrape();

    assertThat(text).contains(
        "keel_server_calls_seconds_count{code=\"OK\",method=\"inc\"} 1",
        "keel_server_calls_seconds_bucket{code=\"OK\",method=\"inc\",le=",
        "keel_server_idempotency_total{result=\"miss\"} 1",
        "keel_server_idempotency_total{result=\"hit\"} 0",
        "keel_server_queue_depth ",
        "keel_server_calls_admitted ",
        "keel_server_connections_active ",
        "keel_server_connections_opened_total 1");
  }
}

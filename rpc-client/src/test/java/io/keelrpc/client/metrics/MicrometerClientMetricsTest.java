package io.keelrpc.client.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.metrics.MicrometerServerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client's meters, calling a real server over loopback. */
class MicrometerClientMetricsTest {
  record Inc(String key, long delta) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);
  static final MethodDescriptor<Inc, Counter> MISSING =
      MethodDescriptor.of("missing", Inc.class, Counter.class);
  /** Four attempts, retried at once: the budget, not time, limits them. */
  static final RetryPolicy FOUR_AT_ONCE = RetryPolicy.builder().maxAttempts(4)
      .initialBackoff(Duration.ZERO).jitter(Jitter.none()).build();

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger runs = new AtomicInteger();

  /** A server; without deduplication, so that every attempt reaches the handler. */
  private static KeelServer.Builder server() {
    return withDeduplication().idempotency(false);
  }

  private static KeelServer.Builder withDeduplication() {
    return KeelServer.builder().port(0).ioThreads(1).workerThreads(2)
        .shutdownGracePeriod(Duration.ZERO);
  }

  private KeelClient.Builder client(KeelServer server) {
    return KeelClient.builder().endpoint("127.0.0.1", server.port()).retryPolicy(FOUR_AT_ONCE)
        .listener(new MicrometerClientMetrics(registry));
  }

  private double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private Timer calls(String method, String outcome) {
    return registry.get("keel.client.calls").tags("method", method, "outcome", outcome).timer();
  }

  private static Throwable failureOf(KeelClient client, MethodDescriptor<Inc, Counter> m) {
    Throwable t = catchThrowable(() -> client.callAsync(m, new Inc("k", 1))
        .get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  @Test
  void successCountsOneAttemptAndTimesTheCall() throws Exception {
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), p.delta()))
        .start();
        KeelClient client = client(s).build()) {
      client.callAsync(INC, new Inc("a", 2)).get(10, TimeUnit.SECONDS);
    }

    assertThat(counter("keel.client.attempts", "method", "inc", "outcome", "success"))
        .isEqualTo(1);
    assertThat(registry.find("keel.client.retries").counters()).isEmpty();
    assertThat(calls("inc", "success").count()).isEqualTo(1);
    assertThat(calls("inc", "success").totalTime(TimeUnit.NANOSECONDS)).isPositive();
  }

  @Test
  void clientErrorIsOneAttemptAndEndsTheCall() throws Exception {
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), p.delta()))
        .start();
        KeelClient client = client(s).build()) {
      assertThat(failureOf(client, MISSING)).isInstanceOf(MethodNotFoundException.class);
    }

    assertThat(counter("keel.client.attempts", "method", "missing", "outcome", "client_error"))
        .isEqualTo(1);
    assertThat(calls("missing", "client_error").count()).isEqualTo(1);
  }

  @Test
  void retriesAndBudgetRefusalsAreCounted() throws Exception {
    RetryBudget small = RetryBudget.builder().maxTokens(4).tokenRatio(0.5).build();
    try (KeelServer s = server().handle(INC, (p, ctx) -> {
      runs.incrementAndGet();
      throw new UnavailableException("always failing", null);
    }).start();
        KeelClient client = client(s).retryBudget(small).build()) {
      // 4 tokens, retries while more than 2 are left: call 1 fails (3), retries, fails (2) and
      // is refused a retry; call 2 fails (1) and is refused at once
      assertThat(failureOf(client, INC)).isInstanceOf(UnavailableException.class);
      assertThat(failureOf(client, INC)).isInstanceOf(UnavailableException.class);
    }

    assertThat(runs).hasValue(3);
    assertThat(counter("keel.client.attempts", "method", "inc", "outcome", "server_error"))
        .isEqualTo(3);
    assertThat(counter("keel.client.retries", "method", "inc", "reason", "server_error"))
        .isEqualTo(1);
    assertThat(counter("keel.client.retry.budget.refusals", "method", "inc")).isEqualTo(2);
    assertThat(counter("keel.client.retries.exhausted", "method", "inc", "reason", "budget"))
        .isEqualTo(2);
    assertThat(calls("inc", "server_error").count()).isEqualTo(2);
  }

  @Test
  void retriesUpToMaxAttemptsAreCountedByReason() throws Exception {
    try (KeelServer s = server().handle(INC, (p, ctx) -> {
      runs.incrementAndGet();
      throw new UnavailableException("always failing", null);
    }).start();
        KeelClient client = client(s).retryBudget(RetryBudget.unlimited()).build()) {
      assertThat(failureOf(client, INC)).isInstanceOf(UnavailableException.class);
    }

    assertThat(runs).hasValue(4);
    assertThat(counter("keel.client.attempts", "method", "inc", "outcome", "server_error"))
        .isEqualTo(4);
    assertThat(counter("keel.client.retries", "method", "inc", "reason", "server_error"))
        .isEqualTo(3);
    assertThat(counter("keel.client.retries.exhausted", "method", "inc", "reason",
        "max_attempts")).isEqualTo(1);
    assertThat(counter("keel.client.retry.budget.refusals", "method", "inc")).isZero();
  }

  @Test
  void prometheusScrapeHasClientAndServerMeters() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CallOptions sameKey = CallOptions.builder().idempotencyKey("order-1").build();
    try (KeelServer s = withDeduplication()
        .handle(INC, (p, ctx) -> new Counter(p.key(), runs.incrementAndGet()))
        .listener(new MicrometerServerMetrics(prometheus)).start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", s.port())
            .listener(new MicrometerClientMetrics(prometheus)).build()) {
      Counter first = client.callAsync(INC, new Inc("a", 1), sameKey).get(10, TimeUnit.SECONDS);
      Counter again = client.callAsync(INC, new Inc("a", 1), sameKey).get(10, TimeUnit.SECONDS);
      assertThat(again).isEqualTo(first);
    }

    String text = prometheus.scrape();

    assertThat(runs).hasValue(1);
    assertThat(text).contains(
        "keel_client_attempts_total{method=\"inc\",outcome=\"success\"} 2",
        "keel_client_calls_seconds_count{method=\"inc\",outcome=\"success\"} 2",
        "keel_client_calls_seconds_bucket{method=\"inc\",outcome=\"success\",le=",
        "keel_server_calls_seconds_count{code=\"OK\",method=\"inc\"} 2",
        "keel_server_idempotency_total{result=\"miss\"} 1",
        "keel_server_idempotency_total{result=\"hit\"} 1",
        "keel_server_connections_active ");
  }
}

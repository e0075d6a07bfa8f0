package io.keelrpc.client.listener;

import static io.keelrpc.client.listener.ListenerFixtures.INC;
import static io.keelrpc.client.listener.ListenerFixtures.awaitRetryThenRunIt;
import static io.keelrpc.client.listener.ListenerFixtures.describe;
import static io.keelrpc.client.listener.ListenerFixtures.ms;
import static io.keelrpc.client.listener.ListenerFixtures.server;
import static io.keelrpc.client.listener.ListenerFixtures.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.listener.ListenerFixtures.Counter;
import io.keelrpc.client.listener.ListenerFixtures.Inc;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.CallSummary;
import io.keelrpc.core.policy.JsonLinesCallLog;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several listeners, per-call listeners, a throwing listener, and the ready-made ones on Keel. */
class KeelClientListenerOptionsTest {
  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> clientEvents = new CopyOnWriteArrayList<>();
  private final List<CallEvent> callEvents = new CopyOnWriteArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  /** Fails the first attempt of every call with UNAVAILABLE, answers the second. */
  private KeelServer flakyServer() {
    return server().handle(INC, (p, ctx) -> {
      if (ctx.attempt() == 1) {
        throw new UnavailableException("draining", null);
      }
      runs.incrementAndGet();
      return new Counter(p.key(), p.delta());
    }).start();
  }

  @Test
  void perCallListenerHearsOnlyItsCallAfterTheClientsListener() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), 1)).start();
        KeelClient client = virtualTimeClient(s.port(), clock)
            .listener(CallListener.of(e -> order.add("client " + e.eventName())))
            .build()) {
      client.callAsync(INC, new Inc("a", 1)).get(10, TimeUnit.SECONDS);
      client.callAsync(INC, new Inc("b", 1), CallOptions.builder()
          .listener(CallListener.of(e -> order.add("call " + e.eventName())))
          .build()).get(10, TimeUnit.SECONDS);
    }

    assertThat(order).containsExactly("client success", "client success", "call success");
  }

  @Test
  void throwingListenerIsIgnored() throws Exception {
    try (KeelServer s = flakyServer();
        KeelClient client = virtualTimeClient(s.port(), clock)
            .listener(CallListener.of(e -> {
              throw new IllegalStateException("listener bug");
            }))
            .listener(CallListener.of(clientEvents::add))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      awaitRetryThenRunIt(clock, ms(50));

      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(new Counter("a", 1));
      assertThat(describe(clientEvents)).containsExactly("server_error#1 -32003",
          "retry#2 50ms server_error", "success#2");
    }
  }

  @Test
  void jsonLogAndSummaryRecordKeelCalls() throws Exception {
    StringBuilder lines = new StringBuilder();
    JsonLinesCallLog log = JsonLinesCallLog.to(lines)
        .clock(Clock.fixed(Instant.parse("2026-01-15T10:30:00.123Z"), ZoneOffset.UTC)).build();
    CallSummary summary = CallSummary.create();
    try (KeelServer s = flakyServer();
        KeelClient client = virtualTimeClient(s.port(), clock).listener(log).listener(summary)
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().listener(CallListener.of(callEvents::add)).build());
      awaitRetryThenRunIt(clock, ms(50));
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(lines.toString().split("\n")).containsExactly(
        "{\"timestamp\":\"2026-01-15T10:30:00.123Z\",\"event\":\"server_error\","
            + "\"method\":\"inc\",\"code\":-32003,\"attempt\":1,\"latency_ms\":0.0,"
            + "\"retryable\":true,\"message\":\"draining\"}",
        "{\"timestamp\":\"2026-01-15T10:30:00.123Z\",\"event\":\"retry\",\"method\":\"inc\","
            + "\"attempt\":2,\"wait_ms\":50.0,\"reason\":\"server_error\"}",
        "{\"timestamp\":\"2026-01-15T10:30:00.123Z\",\"event\":\"success\",\"method\":\"inc\","
            + "\"latency_ms\":0.0,\"attempt\":2}");
    CallSummary.Snapshot snap = summary.snapshot();
    assertThat(snap.total()).isEqualTo(1);
    assertThat(snap.successful()).isEqualTo(1);
    assertThat(snap.totalRequests()).isEqualTo(2);
    assertThat(snap.retries()).isEqualTo(1);
    assertThat(snap.byCode()).isEmpty();
    assertThat(describe(callEvents)).containsExactly("server_error#1 -32003",
        "retry#2 50ms server_error", "success#2");
  }

  @Test
  void toBuilderKeepsTheListeners() {
    CallListener mine = CallListener.of(callEvents::add);
    CallOptions base = CallOptions.builder().deadline(ms(300)).listener(mine).build();

    CallOptions derived = base.toBuilder().idempotent(true).build();

    assertThat(derived.listeners()).containsExactly(mine);
    assertThat(derived.deadline()).isEqualTo(ms(300));
    assertThat(derived.idempotent()).isTrue();
    assertThat(base.idempotent()).isNull();
  }

  @Test
  void builderRejectsANonPositiveSlowThreshold() {
    assertThatThrownBy(() -> KeelClient.builder().slowCallThreshold(ms(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowCallThreshold: PT0S (expected: > 0)");
    assertThatThrownBy(() -> KeelClient.builder().listener(null))
        .isInstanceOf(NullPointerException.class);
  }
}

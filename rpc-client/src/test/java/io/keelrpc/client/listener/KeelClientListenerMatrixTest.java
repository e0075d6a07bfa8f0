package io.keelrpc.client.listener;

import static io.keelrpc.client.listener.ListenerFixtures.INC;
import static io.keelrpc.client.listener.ListenerFixtures.awaitRetryThenRunIt;
import static io.keelrpc.client.listener.ListenerFixtures.closedPort;
import static io.keelrpc.client.listener.ListenerFixtures.describe;
import static io.keelrpc.client.listener.ListenerFixtures.eventually;
import static io.keelrpc.client.listener.ListenerFixtures.ms;
import static io.keelrpc.client.listener.ListenerFixtures.server;
import static io.keelrpc.client.listener.ListenerFixtures.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.listener.ListenerFixtures.Counter;
import io.keelrpc.client.listener.ListenerFixtures.Inc;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.SlowResponseEvent;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Each row of seed 001's behaviour matrix as a Keel call against a real server over loopback,
 * with the exact events the client's listener receives.
 */
class KeelClientListenerMatrixTest {
  /** The params of {@code inc} with {@code delta} missing: it does not bind to {@link Inc}. */
  record KeyOnly(String key) {}

  private static final MethodDescriptor<KeyOnly, Counter> INC_WITHOUT_DELTA =
      MethodDescriptor.of("inc", KeyOnly.class, Counter.class);
  private static final MethodDescriptor<Inc, Counter> MISSING =
      MethodDescriptor.of("missing", Inc.class, Counter.class);

  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  private KeelClient client(int port) {
    return virtualTimeClient(port, clock).listener(CallListener.of(events::add)).build();
  }

  private static <T> T valueOf(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  @Test
  void successFiresSuccess() throws Exception {
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), p.delta())).start();
        KeelClient client = client(s.port())) {
      Counter c = valueOf(client.callAsync(INC, new Inc("a", 2)));

      assertThat(describe(events)).containsExactly("success#1");
      SuccessEvent e = (SuccessEvent) events.get(0);
      assertThat(e.name()).isEqualTo("inc");
      assertThat(e.code()).isNull();
      assertThat(e.result()).isEqualTo(c);
    }
  }

  @Test
  void slowSuccessFiresSlowResponseToo() throws Exception {
    CompletableFuture<Counter> answer = new CompletableFuture<>();
    try (KeelServer s = server().handleAsync(INC, (p, ctx) -> {
          runs.incrementAndGet();
          return answer;
        }).start();
        KeelClient client = client(s.port())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 2));
      eventually().until(() -> runs.get() == 1);
      clock.advance(ms(623));
      answer.complete(new Counter("a", 2));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 2));
      assertThat(describe(events)).containsExactly("success#1", "slow_response#1");
      SlowResponseEvent slow = (SlowResponseEvent) events.get(1);
      assertThat(slow.latency()).isEqualTo(ms(623));
      assertThat(slow.threshold()).isEqualTo(ms(500));
    }
  }

  @Test
  void methodNotFoundIsAClientError() {
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), 1)).start();
        KeelClient client = client(s.port())) {
      Throwable t = failureOf(client.callAsync(MISSING, new Inc("a", 1),
          CallOptions.builder().idempotent(true).build()));

      assertThat(t).isInstanceOf(MethodNotFoundException.class);
      assertThat(describe(events)).containsExactly("client_error#1 -32601");
      assertThat(((ClientErrorEvent) events.get(0)).error()).isSameAs(t);
    }
  }

  @Test
  void invalidParamsIsAClientError() {
    try (KeelServer s = server().handle(INC, (p, ctx) -> new Counter(p.key(), 1)).start();
        KeelClient client = client(s.port())) {
      Throwable t = failureOf(client.callAsync(INC_WITHOUT_DELTA, new KeyOnly("a")));

      assertThat(t).isInstanceOf(InvalidParamsException.class);
      assertThat(describe(events)).containsExactly("client_error#1 -32602");
    }
  }

  @Test
  void applicationErrorIsAClientError() {
    try (KeelServer s = server().handle(INC, (p, ctx) -> {
          throw new ApplicationException(1001, "version mismatch");
        }).start();
        KeelClient client = client(s.port())) {
      Throwable t = failureOf(client.callAsync(INC, new Inc("a", 1)));

      assertThat(t).isInstanceOf(ApplicationException.class);
      assertThat(describe(events)).containsExactly("client_error#1 1001");
    }
  }

  @Test
  void overloadedIsAServerErrorRetriedAfterTheRetryAfter() throws Exception {
    try (KeelServer s = server().handle(INC, (p, ctx) -> {
          if (runs.incrementAndGet() == 1) {
            throw OverloadedException.withRetryAfter("busy", ms(80));
          }
          return new Counter(p.key(), 1);
        }).start();
        KeelClient client = client(s.port())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      awaitRetryThenRunIt(clock, ms(80));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(describe(events)).containsExactly("server_error#1 -32001",
          "retry#2 80ms server_error", "success#2");
    }
  }

  @Test
  void unavailableEveryTimeExhaustsTheAttempts() {
    try (KeelServer s = server().handle(INC, (p, ctx) -> {
          runs.incrementAndGet();
          throw new UnavailableException("draining", null);
        }).start();
        KeelClient client = client(s.port())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      awaitRetryThenRunIt(clock, ms(50));
      awaitRetryThenRunIt(clock, ms(100));

      assertThat(failureOf(f)).isInstanceOf(UnavailableException.class);
      assertThat(describe(events)).containsExactly(
          "server_error#1 -32003", "retry#2 50ms server_error",
          "server_error#2 -32003", "retry#3 100ms server_error",
          "server_error#3 -32003", "retries_exhausted#3 max_attempts");
      assertThat(runs).hasValue(3);
    }
  }

  @Test
  void timeoutOfAnIdempotentCallIsRetried() throws Exception {
    try (KeelServer s = server().handleAsync(INC, (p, ctx) -> runs.incrementAndGet() == 1
            ? new CompletableFuture<>() : CompletableFuture.completedFuture(new Counter("a", 1)))
            .start();
        KeelClient client = client(s.port())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().idempotent(true).perAttemptTimeout(ms(200)).build());
      eventually().until(() -> runs.get() == 1);
      clock.advance(ms(200));
      awaitRetryThenRunIt(clock, ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(describe(events)).containsExactly("timeout#1", "retry#2 50ms timeout",
          "success#2");
    }
  }

  @Test
  void timeoutOfAPlainWriteIsNotRetried() {
    try (KeelServer s = server().handleAsync(INC, (p, ctx) -> {
          runs.incrementAndGet();
          return new CompletableFuture<>();
        }).start();
        KeelClient client = client(s.port())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().perAttemptTimeout(ms(200)).build());
      eventually().until(() -> runs.get() == 1);
      clock.advance(ms(200));

      assertThat(failureOf(f)).isInstanceOf(AttemptTimeoutException.class);
      assertThat(describe(events)).containsExactly("timeout#1",
          "retries_exhausted#1 not_retryable");
    }
  }

  @Test
  void connectionRefusedIsAConnectionErrorRetriedUntilExhausted() {
    try (KeelClient client = client(closedPort())) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      awaitRetryThenRunIt(clock, ms(50));
      awaitRetryThenRunIt(clock, ms(100));

      assertThat(failureOf(f)).isInstanceOf(TransportException.class);
      assertThat(describe(events)).containsExactly(
          "connection_error#1", "retry#2 50ms connection",
          "connection_error#2", "retry#3 100ms connection",
          "connection_error#3", "retries_exhausted#3 max_attempts");
      RetriesExhaustedEvent last = (RetriesExhaustedEvent) events.get(5);
      assertThat(last.lastError()).contains("cannot connect");
    }
  }
}

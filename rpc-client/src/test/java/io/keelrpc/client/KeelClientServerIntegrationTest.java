package io.keelrpc.client;

import static io.keelrpc.client.FakeKeelServer.eventually;
import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.failureOf;
import static io.keelrpc.client.TestApi.idempotent;
import static io.keelrpc.client.TestApi.ms;
import static io.keelrpc.client.TestApi.valueOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.client.TestApi.Mismatch;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The client against a real {@link KeelServer} over loopback: the two halves of the contract. */
class KeelClientServerIntegrationTest {
  private final FakeClock clock = new FakeClock();
  private final AtomicInteger runs = new AtomicInteger();

  private KeelServer.Builder server() {
    return KeelServer.builder().shutdownGracePeriod(Duration.ZERO);
  }

  @Test
  void callsWithOneIdempotencyKeyRunTheHandlerOnce() {
    try (KeelServer server = server()
            .handle(INC, (p, ctx) -> new Counter(p.key(), runs.incrementAndGet() * p.delta()))
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CallOptions key = CallOptions.builder().idempotencyKey("transfer-1").build();

      Counter first = client.call(INC, new Inc("a", 5), key);
      Counter second = client.call(INC, new Inc("a", 5), key);

      assertThat(first).isEqualTo(new Counter("a", 5));
      assertThat(second).isEqualTo(first);
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void idempotencyKeyReusedWithOtherParamsIsRefused() {
    try (KeelServer server = server()
            .handle(INC, (p, ctx) -> new Counter(p.key(), runs.incrementAndGet()))
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CallOptions key = CallOptions.builder().idempotencyKey("transfer-2").build();
      client.call(INC, new Inc("a", 5), key);

      assertThatThrownBy(() -> client.call(INC, new Inc("a", 6), key))
          .isExactlyInstanceOf(IdempotencyKeyReusedException.class);
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void handlerSeesTheCallersRemainingBudgetAndAttempt() {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    try (KeelServer server = server()
            .handle(INC, (p, ctx) -> {
              seen.set(ctx);
              return new Counter(p.key(), ctx.timeRemaining().toMillis());
            })
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      Counter c = client.call(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(2000)).build());

      assertThat(seen.get().attempt()).isEqualTo(1);
      assertThat(seen.get().deadline()).isPresent();
      assertThat(c.value()).isBetween(1L, 2000L);
    }
  }

  @Test
  void applicationErrorFromAHandlerArrivesTypedWithItsData() {
    try (KeelServer server = server()
            .handle(INC, (p, ctx) -> {
              runs.incrementAndGet();
              throw new ApplicationException(1001, "version mismatch",
                  KeelJson.mapper().valueToTree(new Mismatch(7)));
            })
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      Throwable thrown = catchThrowable(() -> client.call(INC, new Inc("a", 1), idempotent()));

      assertThat(thrown).isExactlyInstanceOf(ApplicationException.class);
      ApplicationException e = (ApplicationException) thrown;
      assertThat(e.code()).isEqualTo(1001);
      assertThat(e.data(Mismatch.class)).isEqualTo(new Mismatch(7));
      assertThat(runs).hasValue(1);
    }
  }

  @Test
  void handlerFailureIsAnInternalErrorAndNotRetried() {
    try (KeelServer server = server()
            .handle(INC, (p, ctx) -> {
              runs.incrementAndGet();
              throw new IllegalStateException("bug in the handler");
            })
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          idempotent());

      assertThat(failureOf(f, InternalErrorException.class).getMessage())
          .doesNotContain("bug in the handler");
      assertThat(runs).hasValue(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void overloadedServerIsRetriedAfterItsHintAndThenServesTheCall() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (KeelServer server = server()
            .workerThreads(1)
            .queueCapacity(0)
            .overloadRetryAfter(ms(200))
            .handle(INC, (p, ctx) -> {
              runs.incrementAndGet();
              if (p.key().equals("slow")) {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
              }
              return new Counter(p.key(), 1);
            })
            .start();
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      try {
        CompletableFuture<Counter> slow = client.callAsync(INC, new Inc("slow", 1));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Counter> fast = client.callAsync(INC, new Inc("fast", 1));
        eventually().until(() -> clock.pendingDelays().contains(ms(200)));
        assertThat(runs).hasValue(1);

        release.countDown();
        assertThat(valueOf(slow)).isEqualTo(new Counter("slow", 1));
        clock.advance(ms(200));

        assertThat(valueOf(fast)).isEqualTo(new Counter("fast", 1));
        assertThat(runs).hasValue(2);
      } finally {
        release.countDown();
      }
    }
  }
}

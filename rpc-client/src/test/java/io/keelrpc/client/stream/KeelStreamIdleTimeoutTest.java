package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamErrorKind;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.core.StreamIdleTimeoutException;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout on virtual time: it fails a stream whose caller waited that long for a silent
 * server, and cancels it there; it never fails a caller that is not waiting.
 */
class KeelStreamIdleTimeoutTest extends StreamTestSupport {
  private static final Duration IDLE = Duration.ofSeconds(5);

  private final FakeClock clock = new FakeClock();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicBoolean serverSawCancel = new AtomicBoolean();

  /** Handlers that send nothing and wait to be cancelled. */
  private KeelServer silentServer() {
    return start(serverBuilder()
        .handleServerStream(TICKS, (p, out, ctx) -> waitForCancel(ctx))
        .handleClientStream(SUM, (in, ctx) -> {
          waitForCancel(ctx);
          return -1L;
        }));
  }

  private void waitForCancel(io.keelrpc.server.CallContext ctx) throws InterruptedException {
    ctx.onCancel(cancelled::countDown);
    started.countDown();
    awaitLatch(cancelled);
    serverSawCancel.set(ctx.isCancelled());
  }

  private KeelClient client(KeelServer server, Duration idle) {
    return client(clientBuilder(server, clock).streamIdleTimeout(idle));
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    return f.handle((r, t) -> t).join();
  }

  @Test
  void aSilentServerTripsTheIdleTimeoutAndTheStreamIsCancelledThere() throws Exception {
    KeelClient client = client(silentServer(), IDLE);
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Long> next = items.nextAsync();
    clock.advance(IDLE.minusMillis(1));
    assertThat(next).isNotDone();
    clock.advance(Duration.ofMillis(1));

    Throwable t = failureOf(next);
    assertThat(t).isInstanceOf(StreamIdleTimeoutException.class)
        .hasMessage("stream \"ticks\": nothing arrived within the idle timeout of 5000 ms");
    assertThat(((StreamIdleTimeoutException) t).idleTimeout()).isEqualTo(IDLE);
    assertThat(StreamErrorKind.of(t)).isEqualTo(StreamErrorKind.TIMEOUT);
    assertThatThrownBy(items::next).isSameAs(t);
    assertThat(items.isDone()).isTrue();
    await().atMost(Duration.ofSeconds(10)).untilTrue(serverSawCancel);
  }

  @Test
  void aReaderBlockedInNextTimesOut() throws Exception {
    KeelClient client = client(silentServer(), IDLE);
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0));
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(items::next);
    // the idle timer is the only task this client schedules: it is armed once the reader waits
    await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() == 1);

    clock.advance(IDLE);

    assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StreamIdleTimeoutException.class);
  }

  @Test
  void theStreamOptionsOverrideTheClientsIdleTimeout() {
    KeelClient client = client(silentServer(), Duration.ofSeconds(30));
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0),
        StreamOptions.builder().idleTimeout(Duration.ofSeconds(2)).build());

    CompletableFuture<Long> next = items.nextAsync();
    clock.advance(Duration.ofSeconds(2));

    assertThat(failureOf(next)).isInstanceOf(StreamIdleTimeoutException.class)
        .hasMessageContaining("2000 ms");
  }

  @Test
  void theClientDefaultIsThirtySeconds() {
    KeelClient client = client(clientBuilder(silentServer(), clock));
    CompletableFuture<Long> next = client.serverStream(TICKS, new Count(0)).nextAsync();

    clock.advance(Duration.ofSeconds(30).minusMillis(1));
    assertThat(next).isNotDone();
    clock.advance(Duration.ofMillis(1));

    assertThat(failureOf(next)).isInstanceOf(StreamIdleTimeoutException.class);
    assertThat(KeelClient.Builder.DEFAULT_STREAM_IDLE_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aReaderThatStopsReadingIsNotIdleAndReadsOnLater() {
    AtomicReference<ServerStream<Long>> out = new AtomicReference<>();
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, o, ctx) -> {
      out.set(o);
      for (long i = 0; i < p.n(); i++) {
        o.send(i);
      }
    }));
    KeelClient client = client(server, IDLE);
    KeelStream<Long> items = client.serverStream(TICKS, new Count(8),
        StreamOptions.builder().window(4).build());
    await().atMost(Duration.ofSeconds(10))
        .until(() -> out.get() != null && out.get().sent() == 4 && !out.get().isReady());

    clock.advance(IDLE.multipliedBy(10)); // the server is out of credit: nobody waits for it

    assertThat(items.isDone()).isFalse();
    for (long i = 0; i < 8; i++) {
      assertThat(items.next()).isEqualTo(i);
    }
    assertThat(items.next()).isNull();
  }

  @Test
  void eachWaitIsTimedFromItsStartOrTheLastArrival() throws Exception {
    AtomicReference<ServerStream<Long>> out = new AtomicReference<>();
    CountDownLatch more = new CountDownLatch(1);
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, o, ctx) -> {
      out.set(o);
      o.send(1L);
      awaitLatch(more);
      o.send(2L);
      waitForCancel(ctx);
    }));
    KeelClient client = client(server, IDLE);
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0));
    assertThat(items.next()).isEqualTo(1L); // arrived on real time; nothing waited on virtual time

    clock.advance(Duration.ofSeconds(4));
    CompletableFuture<Long> second = items.nextAsync(); // starts waiting at 4 s
    more.countDown();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2L);
    CompletableFuture<Long> third = items.nextAsync(); // waits from the arrival of item 2
    clock.advance(Duration.ofSeconds(4));
    assertThat(third).isNotDone();
    clock.advance(Duration.ofSeconds(1));

    assertThat(failureOf(third)).isInstanceOf(StreamIdleTimeoutException.class);
  }

  @Test
  void waitingForTheResultOfAClientStreamIsTimed() throws Exception {
    KeelClient client = client(silentServer(), IDLE);
    ClientStream<Long, Long> upload = client.clientStream(SUM);
    upload.send(1L);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Long> result = upload.completeAsync();
    clock.advance(IDLE);

    assertThat(failureOf(result)).isInstanceOf(StreamIdleTimeoutException.class);
    await().atMost(Duration.ofSeconds(10)).untilTrue(serverSawCancel);
  }

  @Test
  void aSenderWaitingForCreditIsTimed() throws Exception {
    KeelClient client = client(silentServer(), IDLE);
    ClientStream<Long, Long> upload = client.clientStream(SUM);
    await().atMost(Duration.ofSeconds(10)).until(() -> upload.stats().credit() == 64);
    for (long i = 0; i < 64; i++) {
      upload.send(i); // within the credit: nobody waits
    }
    assertThat(clock.pendingTasks()).isZero();

    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> upload.send(64L));
    await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() == 1);
    clock.advance(IDLE);

    assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StreamIdleTimeoutException.class);
  }
}

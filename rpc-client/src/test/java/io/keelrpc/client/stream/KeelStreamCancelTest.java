package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamErrorKind;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Ending a stream from the client side ends it on the server too: the handler is told and stops. */
class KeelStreamCancelTest extends StreamTestSupport {
  private final AtomicReference<Throwable> stoppedWith = new AtomicReference<>();
  private final AtomicBoolean contextCancelled = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final CountDownLatch started = new CountDownLatch(1);

  /** An endless producer that records why it stopped. */
  private KeelServer producer() {
    return start(serverBuilder().handleServerStream(TICKS, (p, out, ctx) -> {
      started.countDown();
      try {
        for (long i = 0; ; i++) {
          out.send(i);
          sent.set(out.sent());
        }
      } catch (RuntimeException e) {
        contextCancelled.set(ctx.isCancelled());
        stoppedWith.set(e);
        throw e;
      }
    }));
  }

  private void awaitProducerStopped() {
    await().atMost(Duration.ofSeconds(10)).until(() -> stoppedWith.get() != null);
    assertThat(stoppedWith.get()).isInstanceOf(CancelledException.class);
    assertThat(contextCancelled).isTrue();
  }

  @Test
  void leavingTryWithResourcesMidwayStopsTheServersProducer() {
    KeelClient client = client(producer());
    long read = 0;

    try (KeelStream<Long> items = client.serverStream(TICKS, new Count(0))) {
      for (Long item : items) {
        if (++read == 10) {
          break;
        }
      }
    }

    awaitProducerStopped();
    assertThat(sent.get()).isLessThanOrEqualTo(10 + 64);
  }

  @Test
  void cancelWakesABlockedReaderWithCancellation() throws Exception {
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, out, ctx) -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel(cancelled::countDown);
      started.countDown();
      awaitLatch(cancelled);
      contextCancelled.set(true);
    }));
    KeelStream<Long> items = client(server).serverStream(TICKS, new Count(0));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(items::next);

    items.cancel();

    assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(CancellationException.class);
    assertThatThrownBy(items::next)
        .isInstanceOf(CancellationException.class)
        .hasMessageContaining("cancelled by the caller")
        .satisfies(e -> assertThat(StreamErrorKind.of(e)).isEqualTo(StreamErrorKind.CANCELLED));
    await().atMost(Duration.ofSeconds(10)).untilTrue(contextCancelled);
  }

  @Test
  void closingTheClientEndsItsStreamsAndCancelsThemOnTheServer() {
    KeelServer server = producer();
    KeelClient client = clientBuilder(server).build();
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0));
    assertThat(items.next()).isZero();

    client.close();

    assertThatThrownBy(() -> {
      while (true) {
        items.next();
      }
    }).isInstanceOf(ClientClosedException.class);
    awaitProducerStopped();
  }

  @Test
  void closingAClientStreamBeforeItsEndStopsTheHandlerReadingIt() throws Exception {
    KeelServer server = start(serverBuilder().handleClientStream(SUM, (in, ctx) -> {
      long sum = 0;
      try {
        for (Long n : in) {
          sum += n;
          sent.set(sum);
        }
      } catch (RuntimeException e) {
        contextCancelled.set(ctx.isCancelled());
        stoppedWith.set(e);
        throw e;
      }
      return sum;
    }));
    ClientStream<Long, Long> upload = client(server).clientStream(SUM);
    upload.send(1L);
    upload.send(2L);
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.get() == 3);

    upload.close();

    awaitProducerStopped();
    assertThatThrownBy(() -> upload.send(3L)).isInstanceOf(CancellationException.class);
  }

  @Test
  void cancellingTheFutureOfTheResultCancelsTheStream() throws Exception {
    KeelServer server = start(serverBuilder().handleClientStream(SUM, (in, ctx) -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel(cancelled::countDown);
      started.countDown();
      awaitLatch(cancelled);
      contextCancelled.set(true);
      return 0L;
    }));
    ClientStream<Long, Long> upload = client(server).clientStream(SUM);
    CompletableFuture<Long> result = upload.completeAsync();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    result.cancel(true);

    await().atMost(Duration.ofSeconds(10)).untilTrue(contextCancelled);
    assertThat(upload.isDone()).isTrue();
  }

  @Test
  void cancellingABidiStreamStopsBothDirections() throws Exception {
    AtomicReference<ServerStream<String>> out = new AtomicReference<>();
    KeelServer server = start(serverBuilder().handleBidiStream(UPPER, (in, o, ctx) -> {
      out.set(o);
      try {
        for (String s : in) {
          o.send(s.toUpperCase());
        }
      } catch (RuntimeException e) {
        stoppedWith.set(e);
        contextCancelled.set(ctx.isCancelled());
        throw e;
      }
    }));
    BidiStream<String, String> chat = client(server).bidiStream(UPPER);
    chat.send("a");
    assertThat(chat.next()).isEqualTo("A");

    chat.cancel();

    awaitProducerStopped();
    assertThatThrownBy(() -> chat.send("b")).isInstanceOf(CancellationException.class);
    assertThatThrownBy(chat::next).isInstanceOf(CancellationException.class);
  }
}

package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Credit-based flow control end to end: a slow reader slows the producer down, and neither side
 * ever holds more than the window of items.
 */
class KeelStreamFlowControlTest extends StreamTestSupport {
  private final AtomicReference<ServerStream<Long>> out = new AtomicReference<>();

  /** A server whose {@code ticks} handler sends as fast as credit allows. */
  private KeelServer producer() {
    return start(serverBuilder().handleServerStream(TICKS, (p, o, ctx) -> {
      out.set(o);
      for (long i = 0; p.n() == 0 || i < p.n(); i++) {
        o.send(i);
      }
    }));
  }

  /** Waits until the producer has sent {@code n} items and waits for credit. */
  private void awaitProducerBlockedAt(long n) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
        .until(() -> out.get() != null && out.get().sent() == n && !out.get().isReady());
  }

  @Test
  void aMillionItemsToAReaderThatKeepsPausingStayWithinTheWindow() {
    KeelClient client = client(producer());
    int window = StreamOptions.DEFAULT_WINDOW;
    long total = 1_000_000;
    long read = 0;
    long sum = 0;
    long mostAhead = 0;
    int pauses = 0;

    try (KeelStream<Long> items = client.serverStream(TICKS, new Count(total))) {
      for (Long item = items.next(); item != null; item = items.next()) {
        if (item != read) {
          throw new AssertionError("item " + item + " arrived as number " + read);
        }
        read++;
        sum += item;
        if (read % 1_000 == 0) {
          mostAhead = Math.max(mostAhead, out.get().sent() - read);
        }
        if (read % 100_000 == 0 && read < total) {
          // The reader stops: the producer must stop one window ahead of it, and the window is
          // all the client buffers. (100 000 is a multiple of the credit batch, window / 2, so
          // every credit for the items read has been returned.)
          awaitProducerBlockedAt(read + window);
          assertThat(items.stats().buffered()).isEqualTo(window);
          pauses++;
        }
      }
      assertThat(items.stats().received()).isEqualTo(total);
      assertThat(items.stats().maxBuffered()).isLessThanOrEqualTo(window);
    }

    assertThat(read).isEqualTo(total);
    assertThat(sum).isEqualTo(total * (total - 1) / 2);
    assertThat(pauses).isEqualTo(9);
    assertThat(mostAhead).isBetween(0L, (long) window);
  }

  @Test
  void theProducerSendsExactlyTheCreditTheReaderReturned() {
    KeelClient client = client(producer());
    StreamOptions tenItems = StreamOptions.builder().window(10).build();

    try (KeelStream<Long> items = client.serverStream(TICKS, new Count(0), tenItems)) {
      awaitProducerBlockedAt(10);
      assertThat(items.stats().buffered()).isEqualTo(10);

      for (int i = 0; i < 4; i++) {
        items.next();
      }
      assertThat(out.get().sent()).isEqualTo(10); // 4 < half a window: nothing returned yet
      items.next();

      awaitProducerBlockedAt(15); // 5 items read: one batch of 5 credits returned
      assertThat(items.stats().buffered()).isEqualTo(10);
      assertThat(items.stats().maxBuffered()).isEqualTo(10);
      assertThat(items.stats().window()).isEqualTo(10);
    }
  }

  @Test
  void aSenderIsPacedByTheCreditOfAHandlerThatReadsSlowly() throws Exception {
    CountDownLatch resume = new CountDownLatch(1);
    AtomicLong taken = new AtomicLong();
    KeelServer server = start(serverBuilder().handleClientStream(SUM, (in, ctx) -> {
      long sum = 0;
      for (Long n : in) {
        sum += n;
        if (taken.incrementAndGet() == 10) {
          awaitLatch(resume); // the handler stops reading for a while
        }
      }
      return sum;
    }));
    KeelClient client = client(server);
    ClientStream<Long, Long> upload = client.clientStream(SUM);

    CompletableFuture<Long> result = CompletableFuture.supplyAsync(() -> {
      for (long i = 0; i < 1_000; i++) {
        upload.send(i);
      }
      return upload.complete();
    });

    // the server's window is 64: 10 taken, fewer than the 32 that return credit, so 64 sent
    await().atMost(Duration.ofSeconds(10))
        .until(() -> upload.stats().sent() == 64 && upload.stats().credit() == 0);
    assertThat(result).isNotDone();
    resume.countDown();
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(999L * 1_000 / 2);
    assertThat(upload.stats().sent()).isEqualTo(1_000);
  }
}

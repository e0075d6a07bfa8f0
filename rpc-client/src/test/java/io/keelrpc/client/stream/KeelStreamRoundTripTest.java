package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.server.KeelServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The three kinds of stream end to end, over loopback. */
class KeelStreamRoundTripTest extends StreamTestSupport {
  private final AtomicLong received = new AtomicLong();

  private KeelClient client() {
    KeelServer server = start(serverBuilder()
        .handleServerStream(TICKS, (p, out, ctx) -> {
          for (long i = 0; i < p.n(); i++) {
            out.send(i);
          }
        })
        .handleClientStream(SUM, (in, ctx) -> {
          long sum = 0;
          for (Long n : in) {
            sum += n;
          }
          received.set(in.received());
          return sum;
        })
        .handleBidiStream(UPPER, (in, out, ctx) -> {
          for (String s : in) {
            out.send(s.toUpperCase());
          }
        }));
    return client(server);
  }

  @Test
  void aServerStreamDeliversEveryItemInOrderThenEnds() {
    List<Long> seen = new ArrayList<>();

    try (KeelStream<Long> items = client().serverStream(TICKS, new Count(1_000))) {
      items.forEach(seen::add);
      assertThat(items.next()).isNull();
      assertThat(items.isDone()).isTrue();
      assertThat(items.stats().received()).isEqualTo(1_000);
    }

    assertThat(seen).hasSize(1_000);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(i);
    }
  }

  @Test
  void nextAsyncDeliversTheItemsThenNull() throws Exception {
    KeelStream<Long> items = client().serverStream(TICKS, new Count(3));

    CompletableFuture<Long> a = items.nextAsync();
    CompletableFuture<Long> b = items.nextAsync();
    CompletableFuture<Long> c = items.nextAsync();
    CompletableFuture<Long> end = items.nextAsync();

    assertThat(a.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(end.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void anEmptyServerStreamEndsAtOnce() {
    KeelStream<Long> items = client().serverStream(TICKS, new Count(0)); // this server sends none

    assertThat(items.next()).isNull();
    assertThat(items.stats().received()).isZero();
  }

  @Test
  void aClientStreamSendsManyWindowsOfItemsAndGetsTheResult() {
    ClientStream<Long, Long> upload = client().clientStream(SUM);

    for (long i = 0; i < 10_000; i++) {
      upload.send(i);
    }

    assertThat(upload.complete()).isEqualTo(9_999L * 10_000 / 2);
    assertThat(received).hasValue(10_000);
    assertThat(upload.stats().sent()).isEqualTo(10_000);
    assertThat(upload.isDone()).isTrue();
  }

  @Test
  void aClientStreamWithoutItemsGetsItsResult() {
    ClientStream<Long, Long> upload = client().clientStream(SUM);

    assertThat(upload.complete()).isZero();
  }

  @Test
  void sendingAfterCompleteIsRefused() {
    ClientStream<Long, Long> upload = client().clientStream(SUM);
    upload.send(1L);
    assertThat(upload.completeAsync().join()).isEqualTo(1L);

    assertThatThrownBy(() -> upload.send(2L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("send after complete()");
    assertThat(upload.complete()).isEqualTo(1L); // completing again returns the same result
  }

  @Test
  void aBidiStreamAnswersItemByItem() {
    try (BidiStream<String, String> chat = client().bidiStream(UPPER)) {
      for (int i = 0; i < 100; i++) {
        chat.send("item-" + i);
        assertThat(chat.next()).isEqualTo("ITEM-" + i);
      }
      chat.complete();
      chat.complete(); // twice is once

      assertThat(chat.next()).isNull();
      assertThat(chat.isDone()).isTrue();
    }
  }

  @Test
  void aBidiStreamCarriesManyWindowsBothWaysAtOnce() throws Exception {
    BidiStream<String, String> chat = client().bidiStream(UPPER);
    int n = 20_000;

    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < n; i++) {
        chat.send("x" + i);
      }
      chat.complete();
    });
    int read = 0;
    for (String s : chat) {
      assertThat(s).isEqualTo("X" + read);
      read++;
    }

    sender.get(10, TimeUnit.SECONDS);
    assertThat(read).isEqualTo(n);
    assertThat(chat.stats().maxBuffered()).isLessThanOrEqualTo(64);
  }
}

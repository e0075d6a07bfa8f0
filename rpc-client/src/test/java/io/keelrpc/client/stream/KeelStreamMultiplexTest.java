package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams share the client's one connection with calls and with each other. */
class KeelStreamMultiplexTest extends StreamTestSupport {
  private final List<ServerStream<Long>> outs = new java.util.concurrent.CopyOnWriteArrayList<>();

  private KeelClient client() {
    KeelServer server = start(serverBuilder()
        .handleServerStream(TICKS, (p, out, ctx) -> {
          outs.add(out);
          for (long i = 0; p.n() == 0 || i < p.n(); i++) {
            out.send(i);
          }
        })
        .handle(ECHO, (p, ctx) -> p.n()));
    return client(server);
  }

  @Test
  void callsGoOnWhileAStreamOnTheSameConnectionIsStalled() {
    KeelClient client = client();
    KeelStream<Long> items = client.serverStream(TICKS, new Count(0));
    assertThat(items.next()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !outs.get(0).isReady()); // reader stopped

    for (long i = 0; i < 100; i++) {
      assertThat(client.call(ECHO, new Count(i))).isEqualTo(i);
    }

    assertThat(client.endpoints()).singleElement()
        .satisfies(e -> assertThat(e.connected()).isTrue());
    assertThat(items.next()).isEqualTo(1);
  }

  @Test
  void callsAndABigStreamShareTheConnection() throws Exception {
    KeelClient client = client();
    long total = 200_000;
    CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
      long read = 0;
      try (KeelStream<Long> items = client.serverStream(TICKS, new Count(total))) {
        for (Long item : items) {
          if (item != read) {
            throw new AssertionError("item " + item + " arrived as number " + read);
          }
          read++;
        }
      }
      return read;
    });

    long calls = 0;
    while (!reader.isDone()) {
      assertThat(client.call(ECHO, new Count(calls))).isEqualTo(calls);
      calls++;
    }

    assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(total);
    assertThat(calls).isPositive();
  }

  @Test
  void twoStreamsOnOneConnectionKeepTheirItemsApart() {
    KeelClient client = client();
    KeelStream<Long> a = client.serverStream(TICKS, new Count(500));
    KeelStream<Long> b = client.serverStream(TICKS, new Count(300));
    List<Long> fromA = new ArrayList<>();
    List<Long> fromB = new ArrayList<>();

    boolean more = true;
    while (more) {
      Long x = a.next();
      Long y = b.next();
      if (x != null) {
        fromA.add(x);
      }
      if (y != null) {
        fromB.add(y);
      }
      more = x != null || y != null;
    }

    assertThat(fromA).hasSize(500).startsWith(0L, 1L).endsWith(499L);
    assertThat(fromB).hasSize(300).startsWith(0L, 1L).endsWith(299L);
    assertThat(a.id()).isNotEqualTo(b.id());
  }

  @Test
  void aStreamCountsAsOutstandingOnItsEndpointWhileOpen() {
    KeelClient client = client();
    AtomicReference<KeelStream<Long>> open = new AtomicReference<>(
        client.serverStream(TICKS, new Count(0)));
    open.get().next();

    assertThat(client.endpoints().get(0).outstandingCalls()).isEqualTo(1);
    open.get().close();
    assertThat(client.endpoints().get(0).outstandingCalls()).isZero();
  }
}

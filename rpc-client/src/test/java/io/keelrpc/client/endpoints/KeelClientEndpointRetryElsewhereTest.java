package io.keelrpc.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** A retry goes to another endpoint than the failed attempt's, even a busier one. */
class KeelClientEndpointRetryElsewhereTest {
  record Key(String key) {}

  static final MethodDescriptor<Key, String> HOLD = MethodDescriptor.of("hold", Key.class,
      String.class);
  static final MethodDescriptor<Key, String> ECHO = MethodDescriptor.of("echo", Key.class,
      String.class);

  /** Uniform numbers the test queues; 0.0 once the queue is empty. */
  static final class Draws implements DoubleSupplier {
    private final Deque<Double> queue = new ArrayDeque<>();

    synchronized void add(double... us) {
      for (double u : us) {
        queue.add(u);
      }
    }

    @Override
    public synchronized double getAsDouble() {
      Double u = queue.poll();
      return u == null ? 0.0 : u;
    }
  }

  private static KeelServer server(String name, AtomicInteger held, CountDownLatch release,
      boolean unavailable) {
    return KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handle(HOLD, (p, ctx) -> {
          held.incrementAndGet();
          release.await();
          return name;
        })
        .handle(ECHO, (p, ctx) -> {
          if (unavailable) {
            throw new UnavailableException("draining");
          }
          return name;
        })
        .start();
  }

  @Test
  void anUnavailableAnswerIsRetriedOnAnotherEndpointEvenWhenTheFailedOneLooksIdle() {
    AtomicInteger held = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Draws draws = new Draws();
    try (KeelServer draining = server("draining", held, release, true);
        KeelServer one = server("one", held, release, false);
        KeelServer two = server("two", held, release, false)) {
      List<InetSocketAddress> endpoints = new ArrayList<>();
      for (KeelServer s : List.of(draining, one, two)) {
        endpoints.add(new InetSocketAddress("127.0.0.1", s.port()));
      }
      try (KeelClient client = KeelClient.builder().endpoints(endpoints).random(draws)
          .retryPolicy(RetryPolicy.builder().maxAttempts(2).build()).build()) {
        // two calls held on each of "one" and "two": draw one vs two, the less loaded wins
        List<CompletableFuture<String>> holding = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
          draws.add(0.5, 0.9);
          holding.add(client.callAsync(HOLD, new Key("h" + i), CallOptions.DEFAULTS));
          int n = i;
          await().atMost(Duration.ofSeconds(10)).until(() -> held.get() == n);
        }
        // draining (0 outstanding) vs one (2): draining; the retry: draining (1, the failed
        // attempt still counted) vs one (2) without avoidance, one vs two with it
        draws.add(0.0, 0.0, 0.0, 0.0, 0.0);

        try {
          assertThat(client.call(ECHO, new Key("e"))).isIn("one", "two");
        } finally {
          release.countDown();
        }
        assertThat(holding).allSatisfy(f -> assertThat(f.join()).isIn("one", "two"));
      }
    }
  }
}

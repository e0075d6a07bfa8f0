package io.keelrpc.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.endpoints.FakeTransport.Link;
import io.keelrpc.client.internal.EndpointPool;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.DoubleSupplier;

/** An {@link EndpointPool} over a {@link FakeTransport} on a {@link FakeClock}, random scripted. */
final class PoolFixture implements DoubleSupplier {
  /** Reconnect waits without jitter: 100 ms, 200 ms, 400 ms, ... at most 1 s. */
  static final RetryPolicy RECONNECT = RetryPolicy.builder()
      .initialBackoff(Duration.ofMillis(100))
      .multiplier(2.0)
      .maxBackoff(Duration.ofSeconds(1))
      .jitter(Jitter.none())
      .build();

  static final InetSocketAddress A = FakeTransport.address(1);
  static final InetSocketAddress B = FakeTransport.address(2);
  static final InetSocketAddress C = FakeTransport.address(3);

  final FakeClock clock = new FakeClock();
  final FakeTransport transport = new FakeTransport();
  final EndpointPool<Link> pool;
  private final Deque<Double> draws = new ArrayDeque<>();
  private int drawn;

  PoolFixture(RetryPolicy reconnect, EndpointSource source) {
    pool = new EndpointPool<>(transport, clock, this, reconnect);
    pool.start(source);
  }

  PoolFixture(RetryPolicy reconnect, InetSocketAddress... endpoints) {
    this(reconnect, EndpointSource.of(List.of(endpoints)));
  }

  PoolFixture(InetSocketAddress... endpoints) {
    this(RECONNECT, endpoints);
  }

  /** Queues the next uniform numbers the pool draws; 0.0 once the queue is empty. */
  PoolFixture draws(double... us) {
    for (double u : us) {
      draws.add(u);
    }
    return this;
  }

  /** How many numbers the pool has drawn. */
  int drawn() {
    return drawn;
  }

  @Override
  public double getAsDouble() {
    drawn++;
    Double u = draws.poll();
    return u == null ? 0.0 : u;
  }

  /** The link an acquire completed with at once. */
  Link acquire(Link avoid) {
    return now(pool.acquire(avoid));
  }

  /** The value {@code f} has already completed with (never waits). */
  static <T> T now(CompletableFuture<T> f) {
    assertThat(f).isCompleted();
    return f.join();
  }

  /** Connects every endpoint, in order; with all loads 0 the first drawn wins the tie. */
  Link[] connectAll() {
    List<EndpointStatus> all = pool.status();
    Link[] links = new Link[all.size()];
    for (int k = 0; k < links.length; k++) {
      draws((k + 0.5) / links.length, 0.0);
      links[k] = acquire(null);
      assertThat(links[k].address).isEqualTo(all.get(k).address());
    }
    return links;
  }

  /** The failure {@code f} completed with at once, checked to be a {@code T}. */
  static <T extends Throwable> T failureOf(CompletableFuture<?> f, Class<T> type) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = f.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join();
    assertThat(t).isInstanceOf(type);
    return type.cast(t);
  }

  EndpointStatus status(InetSocketAddress a) {
    return pool.status().stream().filter(s -> s.address().equals(a)).findFirst().orElseThrow();
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}

package io.keelrpc.redis;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded benchmark of deduplication cost (docs/multi-instance.md): keyed calls to one server
 * with the in-memory store and with {@link RedisIdempotencyStore}, in the same run, then through
 * three instances sharing Redis. Every phase runs for a fixed time and stops by itself; the
 * redis-server is started on a free loopback port and killed at the end.
 *
 * <p>Run: {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -f
 * rpc-redis/pom.xml && java -cp rpc-redis/target/test-classes:rpc-redis/target/classes:$(cat
 * rpc-redis/cp.txt) io.keelrpc.redis.RedisDedupBench [seconds-per-phase]}
 */
public final class RedisDedupBench {
  record Params(long n) {}

  static final MethodDescriptor<Params, Long> ECHO =
      MethodDescriptor.of("echo", Params.class, Long.class);

  private RedisDedupBench() {}

  /** Runs the phases; the optional argument is the seconds each phase measures (default 5). */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Duration phase = Duration.ofSeconds(seconds);
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      System.out.printf("cores=%d, %d s per phase, keyed (non-read-only) calls, 8-byte result%n",
          Runtime.getRuntime().availableProcessors(), seconds);
      for (int round = 1; round <= 2; round++) { // alternated, so warm-up favours neither
        double[] mem = single("in-memory", InMemoryIdempotencyStore.builder().build(), phase);
        double[] red = single("redis",
            RedisIdempotencyStore.builder().uri(redis.uri()).build(), phase);
        System.out.printf("round %d ratio redis/in-memory: latency x%.2f, throughput x%.2f%n",
            round, red[0] / mem[0], red[1] / mem[1]);
      }
      three(redis, phase);
    }
  }

  /** One server with {@code store}: {latency µs at concurrency 1, calls/s at concurrency 32}. */
  private static double[] single(String name, IdempotencyStore store, Duration phase)
      throws Exception {
    try (KeelServer server = server(store);
        KeelClient client = client(List.of(server))) {
      run(client, 32, Duration.ofSeconds(2)); // warm-up
      Result one = run(client, 1, phase);
      Result many = run(client, 32, phase);
      System.out.printf("%-10s concurrency 1: %8.0f calls/s, %6.1f µs/call | concurrency 32: "
          + "%8.0f calls/s (errors %d)%n", name, one.perSecond(), 1e6 / one.perSecond(),
          many.perSecond(), one.errors + many.errors);
      return new double[] {1e6 / one.perSecond(), many.perSecond()};
    } finally {
      if (store instanceof AutoCloseable c) {
        c.close();
      }
    }
  }

  private static void three(RedisServerProcess redis, Duration phase) throws Exception {
    List<RedisIdempotencyStore> stores = new ArrayList<>();
    List<KeelServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RedisIdempotencyStore s = RedisIdempotencyStore.builder().uri(redis.uri()).build();
        stores.add(s);
        servers.add(server(s));
      }
      try (KeelClient client = client(servers)) {
        run(client, 48, Duration.ofSeconds(2));
        Result r = run(client, 48, phase);
        System.out.printf("3 instances + redis, concurrency 48: %8.0f calls/s (errors %d)%n",
            r.perSecond(), r.errors);
      }
    } finally {
      servers.forEach(KeelServer::close);
      stores.forEach(RedisIdempotencyStore::close);
    }
  }

  private static KeelServer server(IdempotencyStore store) {
    return KeelServer.builder().port(0).idempotencyStore(store)
        .handleNonBlocking(ECHO, (p, ctx) -> p.n()).start();
  }

  private static KeelClient client(List<KeelServer> servers) {
    return KeelClient.builder().endpoints(servers.stream()
        .map(s -> InetSocketAddress.createUnresolved("127.0.0.1", s.port())).toList()).build();
  }

  private record Result(long calls, long errors, long nanos) {
    double perSecond() {
      return calls * 1e9 / nanos;
    }
  }

  /** {@code concurrency} chains of calls for {@code duration}; each call has a fresh id (key). */
  private static Result run(KeelClient client, int concurrency, Duration duration)
      throws InterruptedException {
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(concurrency);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    for (int i = 0; i < concurrency; i++) {
      chain(client, end, calls, errors, done);
    }
    if (!done.await(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls did not finish");
    }
    return new Result(calls.get(), errors.get(), System.nanoTime() - start);
  }

  private static void chain(KeelClient client, long end, AtomicLong calls, AtomicLong errors,
      CountDownLatch done) {
    if (System.nanoTime() - end >= 0) {
      done.countDown();
      return;
    }
    client.callAsync(ECHO, new Params(calls.get())).whenComplete((r, t) -> {
      if (t == null) {
        calls.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
      chain(client, end, calls, errors, done);
    });
  }
}

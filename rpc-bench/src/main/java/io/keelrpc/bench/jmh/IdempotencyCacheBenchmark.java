package io.keelrpc.bench.jmh;

import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link InMemoryIdempotencyStore} with its defaults (100 000 entries, 10 s TTL; 1 h for the
 * store the hits read, so the hot key outlives any run), one thread.
 *
 * <ul>
 *   <li>{@code hit}: {@code claim} of a completed key, then {@code outcome()} of the entry found
 *       (the server's path for a retried call that already ran). The key is a constant string
 *       whose hash is cached; a server parses a fresh key string per request.
 *   <li>{@code inFlightJoin}: {@code claim} of a key whose execution is still running, then
 *       {@code outcome()} (the future a duplicate waits on).
 *   <li>{@code missClaimComplete}: a new unique key each operation, {@code claim} (null: this
 *       caller owns it) then {@code complete} with a small result: the server's per-call cost for
 *       every call with a string id. The store fills to its bound within the first second, so
 *       this is measured at steady state with eviction. Includes building the key string.
 *   <li>{@code newKeyOnly}: just building that key string (client-shaped, about 20 characters),
 *       to subtract from {@code missClaimComplete}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class IdempotencyCacheBenchmark {
  private static final long FINGERPRINT = 0x5eed_cafe_f00dL;
  private static final String PREFIX = "2k1x9d0f3hq7b-";

  private final Outcome small = new Outcome(false,
      "{\"key\":\"a\",\"value\":12345}".getBytes(StandardCharsets.UTF_8));
  private InMemoryIdempotencyStore hitStore;
  private InMemoryIdempotencyStore joinStore;
  private InMemoryIdempotencyStore missStore;
  private long next = 1_000_000;

  @Setup(Level.Trial)
  public void setUp() {
    // A long TTL so the hot key cannot expire however long the run (the default is 10 s).
    hitStore = InMemoryIdempotencyStore.builder().ttl(Duration.ofHours(1)).build();
    // A realistically populated cache, with the hot key among them.
    for (int i = 0; i < 10_000; i++) {
      String k = PREFIX + (2_000_000 + i);
      hitStore.claim(k, FINGERPRINT);
      hitStore.complete(k, small);
    }
    hitStore.claim(hitKey(), FINGERPRINT);
    hitStore.complete(hitKey(), small);
    joinStore = InMemoryIdempotencyStore.builder().build();
    if (joinStore.claim(joinKey(), FINGERPRINT) != null) {
      throw new IllegalStateException("fresh store already held the key");
    }
    missStore = InMemoryIdempotencyStore.builder().build();
    if (hitStore.claim(hitKey(), FINGERPRINT) == null
        || joinStore.claim(joinKey(), FINGERPRINT) == null) {
      throw new IllegalStateException("hit/join keys are not found");
    }
  }

  private static String hitKey() {
    return PREFIX + "hit";
  }

  private static String joinKey() {
    return PREFIX + "join";
  }

  @Benchmark
  public void hit(Blackhole bh) {
    IdempotencyStore.Entry e = hitStore.claim(PREFIX + "hit", FINGERPRINT);
    bh.consume(e.outcome());
  }

  @Benchmark
  public void inFlightJoin(Blackhole bh) {
    IdempotencyStore.Entry e = joinStore.claim(PREFIX + "join", FINGERPRINT);
    bh.consume(e.outcome());
  }

  @Benchmark
  public void missClaimComplete(Blackhole bh) {
    String key = PREFIX + next++;
    bh.consume(missStore.claim(key, FINGERPRINT));
    missStore.complete(key, small);
  }

  @Benchmark
  public String newKeyOnly() {
    return PREFIX + next++;
  }
}

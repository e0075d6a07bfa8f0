package io.keelrpc.server.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.time.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The default store on virtual time: ownership, joiners, TTL from completion, entry bound. */
class InMemoryIdempotencyStoreTest {
  private static final Duration TTL = Duration.ofSeconds(10);

  private final FakeClock clock = new FakeClock();
  private final InMemoryIdempotencyStore store =
      InMemoryIdempotencyStore.builder().ttl(TTL).ticker(clock).build();

  @Test
  void firstClaimOwnsTheKey() {
    assertThat(store.claim("k", 1)).isNull();
    assertThat(store.runningEntries()).isEqualTo(1);
  }

  @Test
  void secondClaimWhileRunningJoinsThePendingExecution() {
    store.claim("k", 11);

    IdempotencyStore.Entry joined = store.claim("k", 22);

    assertThat(joined).isNotNull();
    assertThat(joined.fingerprint()).isEqualTo(11);
    assertThat(joined.outcome().toCompletableFuture()).isNotDone();
  }

  @Test
  void completeWakesJoinersAndLaterClaimsGetTheOutcome() {
    store.claim("k", 5);
    CompletableFuture<Outcome> joiner = store.claim("k", 5).outcome().toCompletableFuture();
    Outcome outcome = outcome("{\"value\":1}");

    store.complete("k", outcome);

    assertThat(joiner).isCompletedWithValue(outcome);
    IdempotencyStore.Entry later = store.claim("k", 5);
    assertThat(later.fingerprint()).isEqualTo(5);
    assertThat(later.outcome().toCompletableFuture()).isCompletedWithValue(outcome);
    assertThat(store.runningEntries()).isZero();
    assertThat(store.completedEntries()).isEqualTo(1);
  }

  @Test
  void entryExpiresTtlAfterCompletionNotAfterClaim() {
    store.claim("k", 1);
    clock.advance(Duration.ofSeconds(30)); // a long execution: the TTL has not started yet
    Outcome done = outcome("1");
    store.complete("k", done);

    clock.advance(TTL.minusMillis(1));
    IdempotencyStore.Entry justBefore = store.claim("k", 1);
    clock.advance(Duration.ofMillis(2));
    IdempotencyStore.Entry justAfter = store.claim("k", 1);

    assertThat(justBefore).isNotNull();
    assertThat(justBefore.outcome().toCompletableFuture()).isCompletedWithValue(done);
    assertThat(justAfter).as("expired: the claim owns the key again").isNull();
  }

  @Test
  void maxEntriesBoundHoldsUnderTenThousandUniqueKeys() {
    long bound = 100;
    InMemoryIdempotencyStore bounded =
        InMemoryIdempotencyStore.builder().maxEntries(bound).ticker(clock).build();

    for (int i = 0; i < 10_000; i++) {
      String key = "key-" + i;
      assertThat(bounded.claim(key, i)).isNull();
      bounded.complete(key, outcome(String.valueOf(i)));
    }

    assertThat(bounded.completedEntries()).isPositive().isLessThanOrEqualTo(bound);
    assertThat(bounded.runningEntries()).isZero();
  }

  @Test
  void maxBytesBoundsLargeResultsByMemoryNotByCount() {
    int resultBytes = 4096;
    long perEntry = InMemoryIdempotencyStore.ENTRY_OVERHEAD_BYTES + "key-0000".length() + resultBytes;
    InMemoryIdempotencyStore bounded = InMemoryIdempotencyStore.builder()
        .maxBytes(50 * perEntry).ticker(clock).build();
    Outcome large = new Outcome(false, new byte[resultBytes]);

    for (int i = 0; i < 1000; i++) {
      String key = String.format("key-%04d", i);
      assertThat(bounded.claim(key, i)).isNull();
      bounded.complete(key, large);
    }

    assertThat(bounded.completedEntries()).isPositive().isLessThanOrEqualTo(50);
  }

  @Test
  void maxBytesKeepsEverySmallResultThatFits() {
    InMemoryIdempotencyStore bounded = InMemoryIdempotencyStore.builder()
        .maxBytes(1000L * (InMemoryIdempotencyStore.ENTRY_OVERHEAD_BYTES + 64)).ticker(clock)
        .build();

    for (int i = 0; i < 500; i++) {
      String key = "k" + i;
      bounded.claim(key, i);
      bounded.complete(key, outcome("{\"v\":" + i + "}"));
    }

    assertThat(bounded.completedEntries()).isEqualTo(500);
  }

  @Test
  void newestOutcomeSurvivesAFloodOfOlderOnes() {
    InMemoryIdempotencyStore bounded =
        InMemoryIdempotencyStore.builder().maxEntries(100).ticker(clock).build();
    for (int i = 0; i < 10_000; i++) {
      String key = "old-" + i;
      bounded.claim(key, i);
      bounded.complete(key, outcome("1"));
    }
    Outcome fresh = outcome("{\"v\":7}");
    bounded.claim("fresh", 7);
    bounded.complete("fresh", fresh);

    IdempotencyStore.Entry retry = bounded.claim("fresh", 7);

    assertThat(retry).as("a retry of the newest call finds its outcome").isNotNull();
    assertThat(retry.outcome().toCompletableFuture()).isCompletedWithValue(fresh);
    assertThat(bounded.claim("old-0", 0)).as("the oldest went first").isNull();
  }

  @Test
  void concurrentWritersEndExactlyAtTheBound() throws Exception {
    InMemoryIdempotencyStore bounded =
        InMemoryIdempotencyStore.builder().maxEntries(1000).ticker(clock).build();
    int threads = 4;
    int perThread = 5000;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            String key = "t" + id + "-" + i;
            bounded.claim(key, i);
            bounded.complete(key, outcome(String.valueOf(i)));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(bounded.completedEntries()).isEqualTo(1000);
    assertThat(bounded.runningEntries()).isZero();
  }

  @Test
  void maxBytesMustBePositive() {
    assertThatThrownBy(() -> InMemoryIdempotencyStore.builder().maxBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes: 0 (expected: >= 1)");
  }

  @Test
  void releaseCompletesJoinersWithTheRejectionAndFreesTheKey() {
    store.claim("k", 3);
    CompletableFuture<Outcome> joiner = store.claim("k", 3).outcome().toCompletableFuture();
    Outcome rejection = outcome("{\"code\":-32001,\"message\":\"server overloaded\"}");

    store.release("k", rejection);

    assertThat(joiner).isCompletedWithValue(rejection);
    assertThat(store.claim("k", 3)).as("nothing ran, so the next claim owns the key").isNull();
    assertThat(store.completedEntries()).isZero();
  }

  @Test
  void releaseOfAnUnknownKeyDoesNothing() {
    store.release("never-claimed", outcome("0"));

    assertThat(store.claim("never-claimed", 1)).isNull();
  }

  @Test
  void builderRejectsBadValues() {
    InMemoryIdempotencyStore.Builder b = InMemoryIdempotencyStore.builder();

    assertThatThrownBy(() -> b.ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl: PT0S (expected: > 0)");
    assertThatThrownBy(() -> b.ttl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> b.maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxEntries: 0 (expected: >= 1)");
    assertThatThrownBy(() -> b.ttl(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class);
  }

  private static Outcome outcome(String json) {
    return new Outcome(false, json.getBytes(StandardCharsets.UTF_8));
  }
}

package io.keelrpc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.idempotency.IdempotencyStore.Entry;
import io.keelrpc.server.idempotency.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The store's semantics against a real redis-server, with two stores standing for instances. */
class RedisIdempotencyStoreTest {
  private static RedisServerProcess redis;
  private final List<RedisIdempotencyStore> stores = new ArrayList<>();
  private String key;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void uniqueKey(TestInfo info) {
    key = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(RedisIdempotencyStore::close);
  }

  private RedisIdempotencyStore store(RedisIdempotencyStore.Builder b) {
    RedisIdempotencyStore s = b.build();
    stores.add(s);
    return s;
  }

  /** Generous timeouts: the test machine may be heavily loaded. */
  private static RedisIdempotencyStore.Builder builder() {
    return RedisIdempotencyStore.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(10));
  }

  private RedisIdempotencyStore store() {
    return store(builder());
  }

  private static Outcome result(String json) {
    return new Outcome(false, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Entry claim(RedisIdempotencyStore s, String key, long fp) {
    return s.claimAsync(key, fp, null).toCompletableFuture().join();
  }

  private static String text(Outcome o) {
    return new String(o.json(), StandardCharsets.UTF_8);
  }

  @Test
  void firstClaimOwnsAndDuplicatesOnAnyInstanceGetTheOutcome() {
    RedisIdempotencyStore a = store();
    RedisIdempotencyStore b = store();

    assertThat(claim(a, key, 7)).as("first claim owns the key").isNull();
    Entry local = claim(a, key, 7);
    Entry remote = claim(b, key, 7);
    assertThat(local.fingerprint()).isEqualTo(7);
    assertThat(remote.fingerprint()).isEqualTo(7);
    assertThat(remote.outcome().toCompletableFuture()).isNotDone();

    a.complete(key, result("{\"v\":1}"));

    assertThat(local.outcome().toCompletableFuture().join()).isEqualTo(result("{\"v\":1}"));
    await().untilAsserted(() -> assertThat(remote.outcome().toCompletableFuture())
        .isCompletedWithValue(result("{\"v\":1}")));
    Entry later = claim(b, key, 7);
    assertThat(later.outcome().toCompletableFuture()).isCompletedWithValue(result("{\"v\":1}"));
    assertThat(a.runningEntries()).isZero();
  }

  @Test
  void concurrentClaimsOnThreeInstancesGiveOneOwner() {
    List<RedisIdempotencyStore> three = List.of(store(), store(), store());
    List<CompletableFuture<Entry>> claims = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      claims.add(three.get(i % 3).claimAsync(key, 1, null).toCompletableFuture());
    }
    long owners = claims.stream().map(CompletableFuture::join).filter(e -> e == null).count();
    assertThat(owners).isEqualTo(1);
    assertThat(three.stream().mapToInt(RedisIdempotencyStore::runningEntries).sum()).isEqualTo(1);
  }

  @Test
  void outcomeExpiresAfterTheTtlAndTheKeyIsFreeAgain() throws Exception {
    RedisIdempotencyStore s =
        store(builder().ttl(Duration.ofSeconds(2)));
    assertThat(claim(s, key, 1)).isNull();
    s.complete(key, result("1"));
    await().until(() -> claim(s, key, 1) != null); // the outcome landed
    assertThat(redis.command("PTTL keel:idem:" + key)).matches(":[1-9][0-9]*");

    await().atMost(Duration.ofSeconds(20))
        .until(() -> redis.command("EXISTS keel:idem:" + key).equals(":0"));
    assertThat(claim(s, key, 1)).as("expired: the next claim owns the key").isNull();
  }

  @Test
  void keyReuseWithOtherParamsShowsTheOriginalFingerprint() {
    RedisIdempotencyStore a = store();
    RedisIdempotencyStore b = store();
    assertThat(claim(a, key, 11)).isNull();
    assertThat(claim(b, key, 12).fingerprint()).as("running").isEqualTo(11);
    a.complete(key, result("2"));
    await().until(() -> claim(b, key, 12).outcome().toCompletableFuture().isDone());
    assertThat(claim(b, key, 12).fingerprint()).as("completed").isEqualTo(11);
  }

  @Test
  void ownerThatDiesMidExecutionLosesTheKeyAfterTheLease() {
    RedisIdempotencyStore.Builder shortLease = builder().lease(Duration.ofSeconds(1));
    RedisIdempotencyStore dying = store(shortLease);
    RedisIdempotencyStore survivor = store(shortLease);
    assertThat(claim(dying, key, 3)).isNull();
    Entry waiting = claim(survivor, key, 3);

    // Alive, the owner renews: the claim outlives several leases.
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
        .until(() -> !waiting.outcome().toCompletableFuture().isDone());

    dying.close(); // stops renewing, as a crashed instance would
    await().atMost(Duration.ofSeconds(20))
        .until(() -> waiting.outcome().toCompletableFuture().isDone());
    Outcome o = waiting.outcome().toCompletableFuture().join();
    assertThat(o.error()).isTrue();
    assertThat(text(o)).contains("-32003").contains("ended without recording an outcome");
    assertThat(claim(survivor, key, 3)).as("the next duplicate runs the call").isNull();
  }

  @Test
  void releaseGivesLocalWaitersTheRejectionAndFreesTheKey() {
    RedisIdempotencyStore a = store();
    RedisIdempotencyStore b = store();
    assertThat(claim(a, key, 5)).isNull();
    Entry local = claim(a, key, 5);
    Entry remote = claim(b, key, 5);

    a.release(key, new Outcome(true, "{\"code\":-32001}".getBytes(StandardCharsets.UTF_8)));

    assertThat(text(local.outcome().toCompletableFuture().join())).contains("-32001");
    await().until(() -> remote.outcome().toCompletableFuture().isDone());
    assertThat(text(remote.outcome().toCompletableFuture().join()))
        .contains("ended without recording an outcome");
    assertThat(claim(b, key, 5)).isNull();
  }

  @Test
  void aDuplicateStopsWaitingAtItsDeadline() {
    RedisIdempotencyStore a = store();
    RedisIdempotencyStore b = store();
    assertThat(claim(a, key, 9)).isNull();
    Entry waiting = b.claimAsync(key, 9, Deadline.after(Duration.ofMillis(200), Ticker.system()))
        .toCompletableFuture().join();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> waiting.outcome().toCompletableFuture().isDone());
    assertThat(text(waiting.outcome().toCompletableFuture().join()))
        .contains("-32002").contains("deadline passed while this request waited");
  }

  @Test
  void redisDownFailsClosedByDefaultAndOpenWhenAsked() {
    RedisServerProcess own = RedisServerProcess.start();
    RedisIdempotencyStore closed = store(RedisIdempotencyStore.builder().uri(own.uri())
        .commandTimeout(Duration.ofSeconds(10)));
    RedisIdempotencyStore open =
        store(RedisIdempotencyStore.builder().uri(own.uri()).commandTimeout(Duration.ofSeconds(10))
            .failOpen(true));
    own.close();

    assertThatThrownBy(() -> closed.claim(key, 1))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("idempotency store unavailable")
        .hasMessageContaining("did not run");
    assertThat(claim(open, key, 1)).as("fail-open: runs without deduplication").isNull();
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> RedisIdempotencyStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("uri");
    assertThatThrownBy(() -> RedisIdempotencyStore.builder().lease(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 30 ms");
    assertThatThrownBy(() -> RedisIdempotencyStore.builder()
        .pollInterval(Duration.ofMillis(50), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.keelrpc.redis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.registry.RegistryEndpointSource;
import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.redis.RedisServerProcess;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures the watch choice: how long a change takes to reach a client's endpoint list, polling
 * only versus polling plus Pub/Sub and keyspace notifications. Prints one line per measurement
 * ({@code registry-latency ...}) for docs/multi-instance.md; asserts the bounds the docs promise.
 */
class RedisWatchLatencyTest {
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration TTL = Duration.ofSeconds(1);
  /** Longer than the TTL, so that expiry notifications show apart from polls. */
  private static final Duration EXPIRY_POLL = Duration.ofSeconds(3);
  private static final Duration SLACK = Duration.ofSeconds(2);
  private static final int UPDATES = 10;
  private static final int EXPIRIES = 3;

  private RedisServerProcess redis;
  private final List<RedisServiceRegistry> registries = new ArrayList<>();
  private final List<KillableScheduler> schedulers = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stop() {
    registries.forEach(RedisServiceRegistry::close);
    schedulers.forEach(KillableScheduler::close);
    redis.close();
  }

  private RedisServiceRegistry registry(KillableScheduler s, boolean notifications,
      boolean keyspaceEvents) {
    return registry(s, notifications, keyspaceEvents, POLL);
  }

  private RedisServiceRegistry registry(KillableScheduler s, boolean notifications,
      boolean keyspaceEvents, Duration poll) {
    RedisServiceRegistry r = RedisServiceRegistry.builder(redis.uri()).pollInterval(poll)
        .notifications(notifications).enableKeyspaceEvents(keyspaceEvents).scheduler(s).build();
    registries.add(r);
    schedulers.add(s);
    return r;
  }

  /** A client-side view: the endpoint lists a KeelClient would get, with their arrival time. */
  private static final class Lists {
    final AtomicReference<List<InetSocketAddress>> last = new AtomicReference<>();
    final AtomicLong at = new AtomicLong();

    void accept(List<InetSocketAddress> list) {
      at.set(System.nanoTime());
      last.set(list);
    }
  }

  private long[] tagUpdateLatencies(boolean notifications) {
    Registration r = registry(new KillableScheduler(), false, false)
        .registerSelf("kv", "127.0.0.1", 7001, Map.of("role", "worker"), Duration.ofMinutes(1));
    Lists lists = new Lists();
    EndpointSource source = RegistryEndpointSource.of(
        registry(new KillableScheduler(), notifications, false), "kv",
        TagSelector.parse("role=worker"));
    long[] out = new long[UPDATES];
    try (EndpointSource.Subscription sub = source.subscribe(lists::accept)) {
      assertThat(lists.last.get()).hasSize(1);
      for (int i = 0; i < UPDATES; i++) {
        boolean leave = i % 2 == 0;
        long t0 = System.nanoTime();
        r.updateTags(Map.of("role", leave ? "leader" : "worker"));
        await().atMost(POLL.plus(SLACK)).pollInterval(Duration.ofMillis(1))
            .until(() -> lists.last.get().isEmpty() == leave);
        out[i] = (lists.at.get() - t0) / 1_000_000;
      }
    }
    return out;
  }

  private long[] expiryLatencies(boolean keyspaceEvents) {
    long[] out = new long[EXPIRIES];
    Lists lists = new Lists();
    EndpointSource source = RegistryEndpointSource.of(
        registry(new KillableScheduler(), true, keyspaceEvents, EXPIRY_POLL), "kv",
        TagSelector.all());
    try (EndpointSource.Subscription sub = source.subscribe(lists::accept)) {
      for (int i = 0; i < EXPIRIES; i++) {
        KillableScheduler dying = new KillableScheduler();
        registry(dying, false, false).registerSelf("kv", "127.0.0.1", 7100 + i, Map.of(), TTL);
        await().atMost(POLL.plus(SLACK)).until(() -> lists.last.get().size() == 1);
        long t0 = System.nanoTime();
        dying.kill();
        await().atMost(TTL.plus(EXPIRY_POLL).plus(SLACK)).pollInterval(Duration.ofMillis(1))
            .until(() -> lists.last.get().isEmpty());
        out[i] = (lists.at.get() - t0) / 1_000_000;
      }
    }
    return out;
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  private static long max(long[] v) {
    return java.util.Arrays.stream(v).max().orElseThrow();
  }

  private static void report(String what, long[] v) {
    System.out.printf("registry-latency %s n=%d p50=%dms max=%dms all=%s%n", what, v.length,
        median(v), max(v), java.util.Arrays.toString(v));
  }

  @Test
  void aTagUpdateReachesTheClientAtOnceWithNotificationsAndWithinAPollWithout() {
    long[] polled = tagUpdateLatencies(false);
    long[] notified = tagUpdateLatencies(true);
    report("tag-update poll-only(poll=1000ms)", polled);
    report("tag-update poll+pubsub(poll=1000ms)", notified);

    assertThat(max(polled)).isLessThanOrEqualTo(POLL.plus(SLACK).toMillis());
    assertThat(max(notified)).isLessThanOrEqualTo(POLL.plus(SLACK).toMillis());
    assertThat(median(notified)).as("notifications beat polling")
        .isLessThan(median(polled));
  }

  @Test
  void aDeadInstanceLeavesWithinTtlPlusPollEitherWay() {
    long[] polled = expiryLatencies(false);
    long[] notified = expiryLatencies(true);
    report("expiry poll-only(ttl=1000ms,poll=3000ms)", polled);
    report("expiry poll+keyspace-expired(ttl=1000ms,poll=3000ms)", notified);

    long bound = TTL.plus(EXPIRY_POLL).plus(SLACK).toMillis();
    assertThat(max(polled)).isLessThanOrEqualTo(bound);
    assertThat(max(notified)).isLessThanOrEqualTo(bound);
    assertThat(median(notified)).as("expired events beat polling").isLessThan(median(polled));
  }
}

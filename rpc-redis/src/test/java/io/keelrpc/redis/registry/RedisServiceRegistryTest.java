package io.keelrpc.redis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.redis.RedisServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis registry against a real redis-server: records, TTLs, atomic updates, watches. */
class RedisServiceRegistryTest {
  private static final Duration TTL = Duration.ofMillis(900);
  private static RedisServerProcess redis;

  private final List<RedisServiceRegistry> opened = new CopyOnWriteArrayList<>();
  private final List<KillableScheduler> schedulers = new CopyOnWriteArrayList<>();
  private final List<List<ServiceInstance>> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(RedisServiceRegistry::close);
    schedulers.forEach(KillableScheduler::close);
  }

  /** A registry as one process would have it; its scheduler can be killed. */
  private RedisServiceRegistry registry(KillableScheduler scheduler, boolean notifications) {
    RedisServiceRegistry r = RedisServiceRegistry.builder(redis.uri())
        .keyPrefix("t" + System.identityHashCode(this))
        .pollInterval(Duration.ofMillis(200)).notifications(notifications)
        .scheduler(scheduler).build();
    schedulers.add(scheduler);
    opened.add(r);
    return r;
  }

  private RedisServiceRegistry registry() {
    return registry(new KillableScheduler(), true);
  }

  private List<ServiceInstance> last() {
    return seen.isEmpty() ? null : seen.get(seen.size() - 1);
  }

  private static List<String> ids(List<ServiceInstance> list) {
    return list == null ? null : list.stream().map(ServiceInstance::id).toList();
  }

  @Test
  void watchGetsTheMatchingInstancesBeforeReturningAndLaterRegistrations() {
    RedisServiceRegistry instances = registry();
    instances.registerSelf("kv", "127.0.0.1", 7001, Map.of("role", "worker"), TTL);
    instances.registerSelf("kv", "127.0.0.1", 7002, Map.of("role", "leader"), TTL);

    registry().watch("kv", TagSelector.parse("role=worker"), seen::add);
    assertThat(seen).hasSize(1);
    assertThat(ids(last())).containsExactly("127.0.0.1:7001");
    assertThat(last().get(0).tags()).isEqualTo(Map.of("role", "worker"));
    assertThat(last().get(0).port()).isEqualTo(7001);

    instances.registerSelf("kv", "127.0.0.1", 7003, Map.of("role", "worker"), TTL);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> ids(last()).equals(List.of("127.0.0.1:7001", "127.0.0.1:7003")));
  }

  @Test
  void theRecordIsAHashWithAPxTtlThatRenewalsKeepAlive() throws Exception {
    RedisServiceRegistry instances = registry();
    instances.registerSelf("kv", "127.0.0.1", 7001, Map.of("role", "worker"), TTL);
    String key = "t" + System.identityHashCode(this) + ":{kv}:i:127.0.0.1:7001";

    assertThat(redis.command("TYPE " + key)).isEqualTo("+hash");
    long pttl = Long.parseLong(redis.command("PTTL " + key).substring(1));
    assertThat(pttl).isBetween(1L, TTL.toMillis());
    registry().watch("kv", TagSelector.all(), seen::add);

    // three TTLs later it is still there: renewed, never re-created
    long end = System.nanoTime() + 3 * TTL.toNanos();
    await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() >= end);
    assertThat(seen).hasSize(1);
    assertThat(redis.command("HINCRBY " + key + " version 0")).as("version").isEqualTo(":1");
    assertThat(redis.command("SISMEMBER t" + System.identityHashCode(this) + ":{kv}:ids "
        + "127.0.0.1:7001")).isEqualTo(":1");
  }

  @Test
  void aDeadInstanceDisappearsWithinTtlPlusPollInterval() {
    KillableScheduler dying = new KillableScheduler();
    registry(dying, false).registerSelf("kv", "127.0.0.1", 7001, Map.of(), TTL);
    registry().registerSelf("kv", "127.0.0.1", 7002, Map.of(), TTL);
    registry(new KillableScheduler(), false).watch("kv", TagSelector.all(), seen::add);
    assertThat(last()).hasSize(2);

    long killed = System.nanoTime();
    dying.kill();

    await().atMost(TTL.plusMillis(200).plusSeconds(2))
        .until(() -> ids(last()).equals(List.of("127.0.0.1:7002")));
    long tookMs = (System.nanoTime() - killed) / 1_000_000;
    assertThat(tookMs).as("removed within TTL + poll interval + slack")
        .isLessThanOrEqualTo(TTL.toMillis() + 200 + 2000);
  }

  @Test
  void updateTagsChangesSeveralTagsAtomically() {
    Registration r = registry().registerSelf("kv", "127.0.0.1", 7001,
        Map.of("role", "worker", "zone", "a"), TTL);
    registry().watch("kv", TagSelector.all(), seen::add);

    for (int i = 0; i < 40; i++) {
      Map<String, String> changes = new HashMap<>();
      changes.put("role", i % 2 == 0 ? "leader" : "worker");
      changes.put("zone", i % 2 == 0 ? "b" : "a");
      changes.put("gone", i % 2 == 0 ? "x" : null);
      r.updateTags(changes);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> last().get(0).tags()
        .equals(Map.of("role", "worker", "zone", "a")));
    Set<Map<String, String>> consistent = Set.of(Map.of("role", "worker", "zone", "a"),
        Map.of("role", "leader", "zone", "b", "gone", "x"));
    assertThat(seen).allSatisfy(list -> assertThat(consistent).contains(list.get(0).tags()));
  }

  @Test
  void closeDeregistersAtOnce() {
    Registration r =
        registry().registerSelf("kv", "127.0.0.1", 7001, Map.of(), Duration.ofHours(1));
    registry().watch("kv", TagSelector.all(), seen::add);

    r.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> last().isEmpty());
    assertThatThrownBy(() -> r.updateTags(Map.of("a", "b")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNewRegistrationOfTheSameIdTakesOverAndTheOldOneCannotRemoveIt() {
    Registration old = registry().registerSelf("kv", "127.0.0.1", 7001, Map.of("gen", "1"), TTL);
    registry().registerSelf("kv", "127.0.0.1", 7001, Map.of("gen", "2"), TTL);
    registry().watch("kv", TagSelector.all(), seen::add);

    assertThatThrownBy(() -> old.updateTags(Map.of("gen", "3")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("taken over");
    old.close();

    assertThat(seen).hasSize(1);
    assertThat(last().get(0).tags()).isEqualTo(Map.of("gen", "2"));
  }

  @Test
  void badInputIsRefusedAndAnUnreachableRedisIsATypedError() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RedisServiceRegistry.builder(redis.uri()).pollInterval(Duration.ZERO))
        .withMessageContaining("pollInterval");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> registry().register(
            ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of()), Duration.ofMillis(1)))
        .withMessageContaining("ttl");
    assertThatThrownBy(() -> RedisServiceRegistry.builder("redis://127.0.0.1:1")
        .timeout(Duration.ofMillis(500)).build())
        .isInstanceOf(RegistryException.class).hasMessageContaining("cannot connect");
  }
}

package io.keelrpc.redis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.redis.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away and comes back empty: watchers keep their last list meanwhile, registrations
 * write their records again, and a tag update made during the outage is not lost.
 */
class RedisRegistryOutageTest {
  private static final Duration TTL = Duration.ofMillis(900);

  @Test
  void watchersKeepTheirListAndRecordsAreRewrittenWhenRedisReturnsEmpty() throws Exception {
    RedisServerProcess redis = RedisServerProcess.start();
    int port = redis.port();
    AtomicReference<List<ServiceInstance>> last = new AtomicReference<>();
    try (KillableScheduler s1 = new KillableScheduler();
        KillableScheduler s2 = new KillableScheduler();
        RedisServiceRegistry instance = RedisServiceRegistry.builder(redis.uri())
            .scheduler(s1).build();
        RedisServiceRegistry watcher = RedisServiceRegistry.builder(redis.uri())
            .pollInterval(Duration.ofMillis(200)).scheduler(s2)
            .build()) {
      Registration reg = instance.registerSelf("kv", "127.0.0.1", 7001,
          Map.of("role", "worker"), TTL);
      watcher.watch("kv", TagSelector.all(), last::set);
      assertThat(last.get()).hasSize(1);

      redis.close();
      assertThatThrownBy(() -> reg.updateTags(Map.of("role", "leader")))
          .isInstanceOf(RegistryException.class);
      await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(4))
          .until(() -> last.get().size() == 1);
      assertThat(last.get().get(0).tags()).as("the last list read").containsEntry("role", "worker");

      redis = RedisServerProcess.startOn(port);    // empty: no records, no scripts
      await().atMost(Duration.ofSeconds(15)).until(() -> last.get().size() == 1
          && last.get().get(0).tags().equals(Map.of("role", "leader")));
      assertThat(redis.command("EXISTS keel:registry:{kv}:i:127.0.0.1:7001")).isEqualTo(":1");
    } finally {
      redis.close();
    }
  }
}

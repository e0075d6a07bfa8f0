package io.keelrpc.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The in-memory registry on virtual time: register, atomic tag updates, TTL expiry, deregister. */
class InMemoryServiceRegistryTest {
  private static final Duration TTL = Duration.ofSeconds(3);

  private final FakeClock clock = new FakeClock();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry(clock, clock);
  private final List<List<String>> seen = new ArrayList<>();

  private ServiceRegistry.Watch watch(String selector) {
    return registry.watch("kv", TagSelector.parse(selector),
        list -> seen.add(list.stream().map(i -> i.id() + i.tags()).toList()));
  }

  private List<String> last() {
    return seen.get(seen.size() - 1);
  }

  @Test
  void watchSeesOnlyMatchingInstancesAndGetsTheFirstListBeforeReturning() {
    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of("role", "worker")), TTL);
    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7002, Map.of("role", "leader")), TTL);
    registry.register(ServiceInstance.of("other", "127.0.0.1", 7003, Map.of("role", "worker")),
        TTL);

    watch("role=worker");

    assertThat(seen).containsExactly(List.of("127.0.0.1:7001{role=worker}"));
  }

  @Test
  void registrationsRenewedByHeartbeatsStayFarBeyondTheirTtl() {
    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of()), TTL);
    watch("");

    clock.advance(Duration.ofMinutes(5));

    assertThat(seen).containsExactly(List.of("127.0.0.1:7001{}"));
  }

  @Test
  void aDeadInstanceDisappearsExactlyWhenItsTtlRunsOutAfterItsLastRenewal() {
    AtomicBoolean dead = new AtomicBoolean();
    Scheduler killable = (task, delay) -> clock.schedule(() -> {
      if (!dead.get()) {
        task.run();
      }
    }, delay);
    registry.withHeartbeats(killable)
        .register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of()), TTL);
    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7002, Map.of()), TTL);
    watch("");
    clock.advance(Duration.ofSeconds(10));   // renewals every 1 s: the last one at 10 s

    dead.set(true);
    clock.advance(Duration.ofMillis(2999));
    assertThat(last()).hasSize(2);

    clock.advance(Duration.ofMillis(1));
    assertThat(last()).containsExactly("127.0.0.1:7002{}");
  }

  @Test
  void updateTagsChangesSeveralTagsInOneDelivery() {
    Registration r = registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001,
        Map.of("role", "worker", "zone", "a", "old", "x")), TTL);
    watch("");
    Map<String, String> changes = new HashMap<>();
    changes.put("role", "leader");
    changes.put("zone", "b");
    changes.put("old", null);

    r.updateTags(changes);

    assertThat(seen).containsExactly(
        List.of("127.0.0.1:7001{old=x, role=worker, zone=a}"),
        List.of("127.0.0.1:7001{role=leader, zone=b}"));
    assertThat(r.instance().tags()).isEqualTo(Map.of("role", "leader", "zone", "b"));
  }

  @Test
  void aTagUpdateMovesAnInstanceInAndOutOfASelector() {
    Registration r = registry.register(
        ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of("role", "worker")), TTL);
    watch("role=worker");

    r.updateTags(Map.of("role", "draining"));
    r.updateTags(Map.of("role", "worker"));

    assertThat(seen).containsExactly(List.of("127.0.0.1:7001{role=worker}"), List.of(),
        List.of("127.0.0.1:7001{role=worker}"));
  }

  @Test
  void anInvalidTagUpdateChangesNothing() {
    Registration r = registry.register(
        ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of("role", "worker")), TTL);
    watch("");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> r.updateTags(Map.of("zone", "b", "role", "has space")))
        .withMessageContaining("value of tag role");

    assertThat(seen).hasSize(1);
    assertThat(r.instance().tags()).isEqualTo(Map.of("role", "worker"));
  }

  @Test
  void closeDeregistersAtOnceAndStopsRenewals() {
    Registration r = registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of()), TTL);
    watch("");

    r.close();
    r.close();

    assertThat(seen).containsExactly(List.of("127.0.0.1:7001{}"), List.of());
    assertThat(clock.pendingTasks()).isZero();
    assertThatIllegalStateException().isThrownBy(() -> r.updateTags(Map.of("a", "b")));
  }

  @Test
  void reRegisteringAnIdReplacesTheOldRegistrationWhoseCloseThenDoesNothing() {
    Registration old = registry.register(
        ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of("gen", "1")), TTL);
    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of("gen", "2")), TTL);
    watch("");

    old.close();
    clock.advance(Duration.ofSeconds(30));

    assertThat(seen).containsExactly(List.of("127.0.0.1:7001{gen=2}"));
  }

  @Test
  void aClosedWatchGetsNoMoreLists() {
    ServiceRegistry.Watch w = watch("");
    w.close();

    registry.register(ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of()), TTL);

    assertThat(seen).containsExactly(List.of());
  }

  @Test
  void tooShortTtlAndBadInstancesAreRefusedWithClearMessages() {
    ServiceInstance i = ServiceInstance.of("kv", "127.0.0.1", 7001, Map.of());
    assertThatIllegalArgumentException().isThrownBy(() -> registry.register(i,
        Duration.ofMillis(29))).withMessage("ttl: PT0.029S (expected: >= PT0.03S)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServiceInstance.of("kv", "0.0.0.0", 7001, Map.of()))
        .withMessageContaining("not a wildcard");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServiceInstance.of("kv", "127.0.0.1", 0, Map.of()))
        .withMessage("port: 0 (expected: 1..65535)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ServiceInstance.of("k v", "127.0.0.1", 1, Map.of()))
        .withMessageContaining("service: 'k v'");
  }
}

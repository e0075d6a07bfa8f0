package io.keelrpc.client.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.registry.InMemoryServiceRegistry;
import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.ServiceRegistry;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client routed by an in-memory registry (on virtual time) to three real servers on loopback:
 * only matching instances get calls, a tag update moves traffic, an instance whose heartbeats stop
 * leaves the routing when its TTL runs out, and a registered but crashed server is failed over.
 */
class RegistryRoutingTest {
  record Echo(String text) {}

  static final MethodDescriptor<Echo, Echo> ECHO = MethodDescriptor.of("echo", Echo.class,
      Echo.class);
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final int CALLS = 90;

  private final FakeClock clock = new FakeClock();
  private final InMemoryServiceRegistry registry = new InMemoryServiceRegistry(clock, clock);
  private final List<KeelServer> servers = new ArrayList<>();
  private final List<AtomicInteger> handled = new ArrayList<>();
  private final List<Registration> registrations = new ArrayList<>();
  private final List<AtomicBoolean> heartbeatsDead = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(KeelServer::close);
  }

  /** Starts server {@code i} and registers it with {@code role}, heartbeats it can kill. */
  private void startInstance(String role) {
    AtomicInteger count = new AtomicInteger();
    KeelServer server = KeelServer.builder().port(0).shutdownGracePeriod(Duration.ZERO)
        .handle(ECHO, (p, ctx) -> {
          count.incrementAndGet();
          return p;
        }).start();
    AtomicBoolean dead = new AtomicBoolean();
    Scheduler heartbeats = (task, delay) -> clock.schedule(() -> {
      if (!dead.get()) {
        task.run();
      }
    }, delay);
    Registration r = registry.withHeartbeats(heartbeats)
        .registerSelf("kv", "127.0.0.1", server.port(), Map.of("role", role), TTL);
    servers.add(server);
    handled.add(count);
    registrations.add(r);
    heartbeatsDead.add(dead);
  }

  private KeelClient client(ServiceRegistry reg, String selector) {
    return KeelClient.builder()
        .endpointSource(RegistryEndpointSource.of(reg, "kv", TagSelector.parse(selector)))
        .retryPolicy(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(50)).build())
        .build();
  }

  /** Makes {@link #CALLS} concurrent calls in waves of 3 and returns the calls each server ran. */
  private List<Integer> callsPerServer(KeelClient client) throws Exception {
    handled.forEach(c -> c.set(0));
    CallOptions idempotent = CallOptions.builder().idempotent(true).build();
    for (int wave = 0; wave < CALLS / 3; wave++) {
      List<CompletableFuture<Echo>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(client.callAsync(ECHO, new Echo("x"), idempotent));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }
    return handled.stream().map(AtomicInteger::get).toList();
  }

  @Test
  void onlyMatchingInstancesGetCallsAndATagUpdateMovesTraffic() throws Exception {
    startInstance("worker");
    startInstance("worker");
    startInstance("leader");
    try (KeelClient client = client(registry, "role=worker")) {
      assertThat(client.endpoints()).hasSize(2);

      List<Integer> before = callsPerServer(client);
      assertThat(before.get(0)).isPositive();
      assertThat(before.get(1)).isPositive();
      assertThat(before.get(2)).isZero();

      registrations.get(0).updateTags(Map.of("role", "leader"));
      registrations.get(2).updateTags(Map.of("role", "worker"));

      List<Integer> after = callsPerServer(client);
      assertThat(after.get(0)).isZero();
      assertThat(after.get(1)).isPositive();
      assertThat(after.get(2)).isPositive();
      assertThat(after.get(1) + after.get(2)).isEqualTo(CALLS);
    }
  }

  @Test
  void anInstanceWhoseHeartbeatsStopLeavesTheRoutingWhenItsTtlRunsOut() throws Exception {
    startInstance("worker");
    startInstance("worker");
    startInstance("worker");
    try (KeelClient client = client(registry, "role=worker")) {
      assertThat(callsPerServer(client)).allMatch(n -> n > 0);

      heartbeatsDead.get(1).set(true);
      clock.advance(TTL.minusMillis(1));
      assertThat(client.endpoints()).hasSize(3);
      clock.advance(TTL);

      assertThat(client.endpoints()).extracting(EndpointStatus::address)
          .doesNotContain(registrations.get(1).instance().address()).hasSize(2);
      List<Integer> after = callsPerServer(client);
      assertThat(after.get(1)).isZero();
      assertThat(after.get(0) + after.get(2)).isEqualTo(CALLS);
    }
  }

  @Test
  void aCrashedServerStillRegisteredIsFailedOverAndItsDeregistrationEndsTheAttempts()
      throws Exception {
    startInstance("worker");
    startInstance("worker");
    try (KeelClient client = client(registry, "role=worker")) {
      callsPerServer(client);

      servers.get(0).close();    // the process is gone but its record is still live
      List<Integer> during = callsPerServer(client);
      assertThat(during.get(1)).isEqualTo(CALLS);

      registrations.get(0).close();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> client.endpoints().size() == 1);
      assertThat(client.endpoints().get(0).address())
          .isEqualTo(registrations.get(1).instance().address());
    }
  }

  @Test
  void noMatchingInstanceMeansARetryableFailureUntilOneRegisters() throws Exception {
    try (KeelClient client = client(registry, "role=worker")) {
      assertThat(client.endpoints()).isEmpty();
      startInstance("worker");

      assertThat(client.endpoints()).hasSize(1);
      assertThat(callsPerServer(client).get(0)).isEqualTo(CALLS);
    }
  }
}

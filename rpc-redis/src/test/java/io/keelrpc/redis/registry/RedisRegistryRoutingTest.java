package io.keelrpc.redis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.registry.RegistryEndpointSource;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.redis.RedisServerProcess;
import io.keelrpc.server.KeelServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three real servers on loopback, each registered in a real redis-server by its own registry (as
 * separate processes would), and one client routed by a fourth: only {@code role=worker} gets
 * calls, a tag update moves traffic, an instance whose renewals stop leaves within its TTL.
 */
class RedisRegistryRoutingTest {
  record Echo(String text) {}

  static final MethodDescriptor<Echo, Echo> ECHO =
      MethodDescriptor.of("echo", Echo.class, Echo.class);
  private static final Duration TTL = Duration.ofMillis(900);
  private static final Duration POLL = Duration.ofMillis(300);
  private static final int CALLS = 60;

  private RedisServerProcess redis;
  private final List<KeelServer> servers = new ArrayList<>();
  private final List<AtomicInteger> handled = new ArrayList<>();
  private final List<Registration> registrations = new ArrayList<>();
  private final List<KillableScheduler> schedulers = new ArrayList<>();
  private final List<RedisServiceRegistry> registries = new ArrayList<>();

  @BeforeEach
  void start() {
    redis = RedisServerProcess.start();
  }

  @AfterEach
  void stop() {
    registries.forEach(RedisServiceRegistry::close);
    schedulers.forEach(KillableScheduler::close);
    servers.forEach(KeelServer::close);
    redis.close();
  }

  private RedisServiceRegistry registry(KillableScheduler scheduler) {
    RedisServiceRegistry r = RedisServiceRegistry.builder(redis.uri()).pollInterval(POLL)
        .scheduler(scheduler).build();
    schedulers.add(scheduler);
    registries.add(r);
    return r;
  }

  private void startInstance(String role) {
    AtomicInteger count = new AtomicInteger();
    KeelServer server = KeelServer.builder().port(0).shutdownGracePeriod(Duration.ZERO)
        .handle(ECHO, (p, ctx) -> {
          count.incrementAndGet();
          return p;
        }).start();
    servers.add(server);
    handled.add(count);
    registrations.add(registry(new KillableScheduler())
        .registerSelf("kv", "127.0.0.1", server.port(), Map.of("role", role), TTL));
  }

  private KeelClient workersClient() {
    return KeelClient.builder()
        .endpointSource(RegistryEndpointSource.of(registry(new KillableScheduler()), "kv",
            TagSelector.parse("role=worker")))
        .retryPolicy(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(50)).build())
        .build();
  }

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

  private List<Integer> routedPorts(KeelClient client) {
    return client.endpoints().stream().map(EndpointStatus::address)
        .map(InetSocketAddress::getPort).sorted().toList();
  }

  private List<Integer> ports(int... indexes) {
    List<Integer> out = new ArrayList<>();
    for (int i : indexes) {
      out.add(servers.get(i).port());
    }
    return out.stream().sorted().toList();
  }

  @Test
  void onlyWorkersGetCallsAndATagUpdateMovesTraffic() throws Exception {
    startInstance("worker");
    startInstance("worker");
    startInstance("leader");
    try (KeelClient client = workersClient()) {
      assertThat(routedPorts(client)).isEqualTo(ports(0, 1));
      List<Integer> before = callsPerServer(client);
      assertThat(before.get(0)).isPositive();
      assertThat(before.get(1)).isPositive();
      assertThat(before.get(2)).isZero();

      registrations.get(0).updateTags(Map.of("role", "leader"));
      registrations.get(2).updateTags(Map.of("role", "worker"));
      await().atMost(POLL.plusSeconds(3)).until(() -> routedPorts(client).equals(ports(1, 2)));

      List<Integer> after = callsPerServer(client);
      assertThat(after.get(0)).isZero();
      assertThat(after.get(1)).isPositive();
      assertThat(after.get(2)).isPositive();
    }
  }

  @Test
  void anInstanceWhoseRenewalsStopLeavesTheRoutingWithinItsTtl() throws Exception {
    startInstance("worker");
    startInstance("worker");
    startInstance("worker");
    try (KeelClient client = workersClient()) {
      assertThat(callsPerServer(client)).allMatch(n -> n > 0);

      long killed = System.nanoTime();
      schedulers.get(1).kill();    // instance 1's process "dies": no renewal, no deregistration
      await().atMost(TTL.plus(POLL).plusSeconds(2)).pollInterval(Duration.ofMillis(5))
          .until(() -> routedPorts(client).equals(ports(0, 2)));
      long tookMs = (System.nanoTime() - killed) / 1_000_000;
      assertThat(tookMs).as("bound: TTL + poll interval (+ slack for a loaded machine)")
          .isLessThanOrEqualTo(TTL.plus(POLL).toMillis() + 2000);

      List<Integer> after = callsPerServer(client);
      assertThat(after.get(1)).isZero();
      assertThat(after.get(0) + after.get(2)).isEqualTo(CALLS);
    }
  }

  @Test
  void aGracefulShutdownDeregistersBeforeTheServerStops() throws Exception {
    startInstance("worker");
    startInstance("worker");
    try (KeelClient client = workersClient()) {
      callsPerServer(client);

      registrations.get(0).close();
      await().atMost(POLL.plusSeconds(3)).until(() -> routedPorts(client).equals(ports(1)));
      servers.get(0).close();

      assertThat(callsPerServer(client).get(1)).isEqualTo(CALLS);
    }
  }
}

package io.keelrpc.client.endpoints;

import static io.keelrpc.client.endpoints.LoopbackCluster.INC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.endpoints.LoopbackCluster.Counter;
import io.keelrpc.client.endpoints.LoopbackCluster.Inc;
import io.keelrpc.client.endpoints.LoopbackCluster.Load;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.RetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** A client of three real servers over loopback: spread, failover, and rejoining. */
class KeelClientEndpointFailoverTest {
  private static final RetryPolicy RETRIES = RetryPolicy.builder()
      .maxAttempts(5)
      .initialBackoff(Duration.ofMillis(5))
      .maxBackoff(Duration.ofMillis(50))
      .build();
  private static final RetryPolicy FAST_RECONNECT = RetryPolicy.builder()
      .initialBackoff(Duration.ofMillis(10))
      .maxBackoff(Duration.ofMillis(100))
      .build();

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5));
  }

  private static KeelClient.Builder client(List<InetSocketAddress> endpoints) {
    return KeelClient.builder()
        .endpoints(endpoints)
        .retryPolicy(RETRIES)
        .reconnectBackoff(FAST_RECONNECT);
  }

  @Test
  void concurrentCallsAreSpreadOverEveryEndpoint() throws Exception {
    try (LoopbackCluster cluster = new LoopbackCluster(3);
        KeelClient client = client(cluster.addresses()).build()) {
      List<CompletableFuture<Counter>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        calls.add(client.callAsync(INC, new Inc("k", 1)));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

      for (int i = 0; i < 3; i++) {
        assertThat(cluster.handled[i].get()).as("server %d", i).isGreaterThanOrEqualTo(25);
      }
      assertThat(cluster.handled[0].get() + cluster.handled[1].get() + cluster.handled[2].get())
          .isEqualTo(300);
      assertThat(client.endpoints()).extracting(EndpointStatus::connected)
          .containsExactly(true, true, true);
    }
  }

  @Test
  void aServerKilledMidLoadCostsNoCallIsMarkedDownAndGetsCallsAgainOnceRestarted() {
    // a budget this test cannot spend: every failure below would be one with budget left
    RetryBudget budget = RetryBudget.builder().maxTokens(RetryBudget.MAX_MAX_TOKENS).build();
    try (LoopbackCluster cluster = new LoopbackCluster(3);
        KeelClient client = client(cluster.addresses()).retryBudget(budget).build()) {
      CallOptions idempotent = CallOptions.builder().idempotent(true).build();
      Load load = new Load(client, 8, idempotent);
      try (load) {
        eventually().until(() -> cluster.handled[1].get() >= 100);

        cluster.kill(1);
        eventually().until(() -> !client.endpoints().get(1).healthy());
        long atKill = load.succeeded.get();
        eventually().until(() -> load.succeeded.get() >= atKill + 500);
        assertThat(client.endpoints().get(1).consecutiveFailures()).isPositive();

        int beforeRestart = cluster.handled[1].get();
        cluster.restart(1);
        eventually().until(() -> client.endpoints().get(1).healthy());
        eventually().until(() -> cluster.handled[1].get() >= beforeRestart + 100);
      }

      assertThat(load.failures).isEmpty();
      assertThat(budget.allowsRetry()).isTrue();
      assertThat(client.endpoints()).extracting(EndpointStatus::healthy)
          .containsExactly(true, true, true);
    }
  }

  @Test
  void anEndpointThatRefusesConnectionsCostsNoCallEvenANonIdempotentOne() throws IOException {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (LoopbackCluster cluster = new LoopbackCluster(2)) {
      List<InetSocketAddress> endpoints = new ArrayList<>(cluster.addresses());
      endpoints.add(1, new InetSocketAddress("127.0.0.1", deadPort));
      try (KeelClient client = client(endpoints).build()) {
        for (int i = 0; i < 200; i++) {
          client.call(INC, new Inc("k", 1)); // not idempotent: only never-sent failures retried
        }

        assertThat(cluster.handled[0].get() + cluster.handled[1].get()).isEqualTo(200);
        EndpointStatus dead = client.endpoints().get(1);
        assertThat(dead.healthy()).isFalse();
        assertThat(dead.consecutiveFailures()).isPositive();
      }
    }
  }
}

package io.keelrpc.examples.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.examples.kv.KvBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioRunnerInvariantTest {

  /** Three clients on overlapping keys, 10% of requests and 10% of put answers lost. */
  private static ScenarioConfig lossy(double seconds, boolean cache) {
    return ScenarioConfig.parse("""
        {
          "clients": [
            {"name": "a", "keys": ["k1", "k2"], "client_packet_loss_rate": 10.0},
            {"name": "b", "keys": ["k2", "k3"], "client_packet_loss_rate": 10.0},
            {"name": "c", "keys": ["k1", "k3"], "client_packet_loss_rate": 10.0}
          ],
          "test_duration_seconds": %s,
          "server_packet_loss_rate": 10.0,
          "call_timeout_ms": 50,
          "idempotency_cache": %s,
          "seed": 7
        }""".formatted(seconds, cache));
  }

  private static long sum(ScenarioReport r, java.util.function.ToLongFunction<
      ScenarioRunner.ClientReport> f) {
    return r.clients().stream().mapToLong(f).sum();
  }

  @Test
  void tenPercentRequestAndResponseLossKeepsEveryCounterEqualToItsAcknowledgedIncrements()
      throws Exception {
    ScenarioReport report = new ScenarioRunner(lossy(1.5, true)).run();

    assertThat(report.violations()).isEmpty();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.totalAcknowledged()).as("clients made progress").isGreaterThan(10);
    assertThat(report.faults().get(0).stats().responsesDropped())
        .as("the server dropped put answers").isPositive();
    assertThat(sum(report, ScenarioRunner.ClientReport::networkRetries))
        .as("lost messages were retried").isPositive();
  }

  @Test
  void withoutTheIdempotencyCacheLostAnswersAreRecoveredByWriterId() throws Exception {
    ScenarioReport report = new ScenarioRunner(lossy(1.5, false)).run();

    assertThat(report.violations()).isEmpty();
    assertThat(sum(report, ScenarioRunner.ClientReport::ambiguousRecovered))
        .as("retries of applied writes were recognised, not applied twice").isPositive();
  }

  @Test
  void fileBackendKeepsTheInvariantToo(@TempDir Path dir) throws Exception {
    ScenarioReport report =
        new ScenarioRunner(lossy(1.0, true).withBackend(KvBackend.FILE, dir)).run();

    assertThat(report.violations()).isEmpty();
    assertThat(report.finalState()).isNotEmpty();
  }

  @Test
  void stopEndsTheRunEarlyAndCleanlyWithTheInvariantIntact() throws Exception {
    ScenarioRunner runner = new ScenarioRunner(lossy(120, true));
    CompletableFuture<ScenarioReport> run = CompletableFuture.supplyAsync(() -> {
      try {
        return runner.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> runner.acknowledgedSoFar() >= 20);

    runner.stop();

    ScenarioReport report = run.get(20, TimeUnit.SECONDS);
    assertThat(report.stoppedEarly()).isTrue();
    assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(60));
    assertThat(report.violations()).isEmpty();
  }
}

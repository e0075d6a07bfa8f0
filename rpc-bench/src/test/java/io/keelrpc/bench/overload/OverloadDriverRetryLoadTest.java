package io.keelrpc.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Short overload runs over loopback: the counts add up, and the budget bounds the retries. */
class OverloadDriverRetryLoadTest {
  private OverloadServer server;
  private OverloadDriver driver;

  @BeforeEach
  void start() {
    server = new OverloadServer(1, 2, Duration.ofMillis(2), false);
    driver = new OverloadDriver("127.0.0.1", server.port(), server, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void capacityProbeIsNearWorkersOverServiceTime() throws InterruptedException {
    double capacity = driver.measureCapacity(3, Duration.ofMillis(200), Duration.ofMillis(500));

    assertThat(capacity).isBetween(50.0, 500.0); // nominal 500/s: 1 worker x 2 ms
  }

  @Test
  void naiveClientSendsMoreRequestsPerCallThanBudgetedOne() throws InterruptedException {
    // 1 250 calls/s (one every 0.8 ms) against at most 500/s: most first attempts are refused.
    OverloadResult keel = driver.run("keel", 1250, Duration.ofMillis(800));
    OverloadResult naive = driver.run("naive", 1250, Duration.ofMillis(800));

    for (OverloadResult r : new OverloadResult[] {keel, naive}) {
      assertThat(r.calls()).isEqualTo(1000);
      assertThat(r.succeeded()).isPositive().isLessThan(r.calls());
      assertThat(r.attempts()).isBetween(r.calls(), 4 * r.calls());
      assertThat(r.p99Micros()).isGreaterThanOrEqualTo(r.p50Micros());
    }
    assertThat(naive.attemptsPerCall()).isGreaterThan(2.0);
    assertThat(keel.attemptsPerCall()).isLessThan(1.5);
  }

  @Test
  void withADeepQueueTheSeedClientCollapsesWhereDeadlinesKeepGoodput()
      throws InterruptedException {
    // 1 worker x 2 ms and 200 queued: an admitted call may wait ~400 ms, far beyond the seed
    // client's 50 ms attempt timeout. It sends no deadline, so the server runs attempts nobody
    // waits for any more. Keel's client, given the seed's whole budget as its deadline (4 x 50
    // ms + backoff), sends what is left of it and the server skips calls that outlived it.
    try (OverloadServer deep = new OverloadServer(1, 200, Duration.ofMillis(2), false)) {
      OverloadDriver withTimeouts = new OverloadDriver("127.0.0.1", deep.port(), deep::executed,
          Duration.ofMillis(550), Duration.ofMillis(50));

      OverloadResult seed = withTimeouts.run("seed", 1250, Duration.ofMillis(800));
      OverloadResult keel = withTimeouts.run("keel", 1250, Duration.ofMillis(800));

      assertThat(seed.attemptsPerCall()).isGreaterThan(2.5);
      assertThat(seed.executedPerSec()).isGreaterThan(5 * seed.goodput());
      assertThat(keel.goodput()).isGreaterThan(3 * seed.goodput());
      assertThat(keel.succeeded()).isGreaterThan(keel.calls() / 4);
    }
  }

  @Test
  void attemptTimeoutLongerThanTheDeadlineIsRefused() {
    assertThatThrownBy(() -> new OverloadDriver("127.0.0.1", server.port(), server::executed,
        Duration.ofMillis(100), Duration.ofMillis(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt timeout PT0.2S is longer than the deadline PT0.1S");
  }

  @Test
  void unknownClientKindIsRefused() {
    assertThatThrownBy(() -> driver.run("eager", 10, Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client: eager (expected: keel, naive or seed)");
  }
}

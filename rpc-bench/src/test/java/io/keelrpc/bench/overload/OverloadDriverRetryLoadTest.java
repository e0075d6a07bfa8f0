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
  void unknownClientKindIsRefused() {
    assertThatThrownBy(() -> driver.run("eager", 10, Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("client: eager (expected: keel or naive)");
  }
}

package io.keelrpc.bench.overload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CPU-bound server: calibrated work, the stats method, the median capacity probe. */
class OverloadServerCpuTest {
  @Test
  void cpuBoundServerCountsExecutedCallsAndProbeTakesMedianOfWindows()
      throws InterruptedException {
    try (OverloadServer server = new OverloadServer(1, 2, Duration.ofMillis(1), true)) {
      assertThat(server.spinIterations()).isPositive();
      OverloadDriver driver = new OverloadDriver("127.0.0.1", server.port(),
          OverloadDriver.remoteExecuted("127.0.0.1", server.port()), Duration.ofSeconds(1));

      double capacity = driver.measureCapacity(3, Duration.ofMillis(200),
          Duration.ofMillis(200), 3);

      double[] windows = driver.lastCapacityWindows();
      assertThat(windows).hasSize(3);
      double[] sorted = windows.clone();
      java.util.Arrays.sort(sorted);
      assertThat(capacity).isEqualTo(sorted[1]).isPositive();
      assertThat(OverloadDriver.remoteExecuted("127.0.0.1", server.port()).getAsLong())
          .isEqualTo(server.executed()).isPositive();
    }
  }
}

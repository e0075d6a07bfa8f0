package io.keelrpc.examples.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadGenCommandTest {
  @Test
  void tinyRunAgainstAServerJvmCompletesWithoutErrors() {
    CommandRunner.Execution run = CommandRunner.execute("loadgen",
        "--concurrency", "2", "--seconds", "1", "--warmup-seconds", "0", "--cache", "on",
        "--payload-bytes", "16");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<LoadGenerator.Result> results = run.<LoadGenCommand>subcommand("loadgen").results();
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.cache()).isEqualTo(CacheMode.on);
      assertThat(r.concurrency()).isEqualTo(2);
      assertThat(r.errors()).isZero();
      assertThat(r.calls()).isPositive();
      assertThat(r.callsPerSecond()).isPositive();
      assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p999());
    });
    assertThat(run.out())
        .containsPattern("cache=on C=2 payload=16B calls/s=[1-9][0-9]* p50=\\d+us p99=\\d+us "
            + "p999=\\d+us errors=0")
        .contains("| cache | C | payload (B) | calls/s |");
  }

  @Test
  void badOptionsAreRejectedBeforeAnythingStarts() {
    CommandRunner.Execution run = CommandRunner.execute("loadgen", "--concurrency", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--concurrency: 0 (expected: 1..10000)");
  }
}

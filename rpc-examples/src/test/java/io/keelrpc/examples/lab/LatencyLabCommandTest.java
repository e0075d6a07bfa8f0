package io.keelrpc.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code latency-lab} on a tiny matrix over real loopback sockets. */
class LatencyLabCommandTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir
  Path out;

  @Test
  void tinyMatrixWritesTablesAndChartsWithNumbersThatFollowFromTheDelays() throws IOException {
    CommandRunner.Execution run = CommandRunner.execute("latency-lab", "--delays", "0,50",
        "--timeouts", "10,3000", "--policies", "none,seed", "--calls", "20", "--concurrency", "4",
        "--deadline-ms", "5000", "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<CellResult> results = run.<LatencyLabCommand>subcommand("latency-lab").results();
    assertThat(results).hasSize(8);
    assertThat(results).allSatisfy(r -> assertThat(r.calls()).isEqualTo(20));

    // Every execution takes at least its 50 ms base: a 10 ms attempt never sees its answer, and
    // without retries that is the call's failure, one attempt each.
    CellResult noRetryTooShort = cell(results, 50, 10, ClientPolicy.NONE);
    assertThat(noRetryTooShort.successRate()).isZero();
    assertThat(noRetryTooShort.attemptsPerCall()).isEqualTo(1.0);
    assertThat(noRetryTooShort.failedMaxAttempts()).isEqualTo(20);
    assertThat(noRetryTooShort.p99Ms()).isNaN();

    // With retries every call times out at least once, so it makes 2 or more attempts (at most
    // the policy's 4; 1.5 on average leaves room for a stalled event loop handling an answer
    // before its overdue timer); the first attempt's late answer still completes it.
    CellResult seedTooShort = cell(results, 50, 10, ClientPolicy.SEED);
    assertThat(seedTooShort.attemptsPerCall()).isBetween(1.5, 4.0);
    assertThat(seedTooShort.maxAttempts()).isBetween(2, 4);
    assertThat(seedTooShort.successRate()).isGreaterThanOrEqualTo(0.9);

    CellResult fast = cell(results, 0, 3000, ClientPolicy.NONE);
    assertThat(fast.successRate()).isEqualTo(1.0);
    assertThat(fast.attemptsPerCall()).isEqualTo(1.0);
    assertThat(fast.serverExecutionsPerCall()).isEqualTo(1.0);

    CellResult slowButInTime = cell(results, 50, 3000, ClientPolicy.NONE);
    assertThat(slowButInTime.successRate()).isEqualTo(1.0);
    assertThat(slowButInTime.p50Ms()).isGreaterThanOrEqualTo(50.0);
    assertThat(slowButInTime.p99Ms()).isGreaterThanOrEqualTo(slowButInTime.p95Ms())
        .isGreaterThanOrEqualTo(slowButInTime.p50Ms());

    List<String> csv = Files.readAllLines(out.resolve(LabReport.CSV));
    assertThat(csv).hasSize(9);
    assertThat(csv.get(0)).isEqualTo(CellResult.CSV_HEADER);
    assertThat(csv).contains(noRetryTooShort.csvRow());
    assertThat(csv.get(1)).startsWith("0,10,none,20,");
    String md = Files.readString(out.resolve(LabReport.MARKDOWN));
    assertThat(md).contains("| delay ms | timeout ms | policy | success |")
        .contains("| 50 | 10 | none | 0.0% | - | - | - | 1.00 |");
    assertThat(run.out()).contains("| 0 | 3000 | none | 100.0% |");

    for (String chart : List.of(LabCharts.SUCCESS, LabCharts.P99, LabCharts.ATTEMPTS,
        LabCharts.SERVER_RUNS)) {
      byte[] png = Files.readAllBytes(out.resolve(chart));
      assertThat(Arrays.copyOf(png, PNG_MAGIC.length)).as(chart).isEqualTo(PNG_MAGIC);
      assertThat(png.length).as(chart).isBetween(1_000, 100_000);
    }
  }

  @Test
  void unknownPolicyIsAUsageErrorNamingTheKnownOnes() {
    CommandRunner.Execution run = CommandRunner.execute("latency-lab", "--policies", "none,bogus",
        "--out", out.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--policies: policy: \"bogus\" (expected one of: none, seed, "
        + "keel-default, aggressive)");
  }

  @Test
  void zeroTimeoutIsAUsageError() {
    CommandRunner.Execution run = CommandRunner.execute("latency-lab", "--timeouts", "0,100",
        "--out", out.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--timeouts: 0 (expected: 1..60000)");
  }

  private static CellResult cell(List<CellResult> results, long delayMs, long timeoutMs,
      ClientPolicy policy) {
    return results.stream()
        .filter(r -> r.delayMs() == delayMs && r.timeoutMs() == timeoutMs && r.policy() == policy)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cell " + delayMs + "/" + timeoutMs + "/"
            + policy));
  }
}

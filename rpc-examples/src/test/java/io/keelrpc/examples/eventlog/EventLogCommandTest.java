package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code event-log} command: the report, the sweep, and real child JVMs with --fork. */
class EventLogCommandTest {
  @TempDir
  Path dir;

  @Test
  void runsToTheEndAndPrintsTheSeedsStatisticsAndMetrics() throws Exception {
    Path log = dir.resolve("events.log");

    CommandRunner.Execution run = CommandRunner.execute("event-log", "--count", "400",
        "--termination-rate", "0.01", "--output", log.toString(), "--epoch", "1705123456");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("# event-log: seed 42, 400 packets, reorder window 10",
        "packets_received:", "packets_written:", "duplicates_discarded:", "corrupted_packets:",
        "retransmit_requests:", "retransmits_received:", "inversions:", "gaps:",
        "buffer_flushes:", "final_buffer_size:", "coverage:", "ordering:",
        "retransmit_efficiency:");
    EventLogCommand cmd = run.subcommand("event-log");
    EventLogRun.Result r = cmd.result();
    assertThat(r.restarts()).isPositive();
    assertThat(r.metrics().logged()).isEqualTo(r.deliverable());
    assertThat(run.out()).contains("restarts:              " + r.restarts() + "\n");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(r.metrics().logged());
    assertThat(lines).allSatisfy(l -> assertThat(l)
        .matches("\\d+,17051234\\d\\d\\.\\d{6},([0-9a-f]{2})+,(OK|LATE|RETRANSMIT)"));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("source state deleted at the end")
          .containsExactly("events.log");
    }
  }

  @Test
  void sweepPrintsOneMarkdownRowPerSeedAndBufferSize() {
    CommandRunner.Execution run = CommandRunner.execute("event-log", "--sweep", "--count", "200",
        "--seeds", "1,2", "--buffer-sizes", "0,30");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> rows = run.out().lines().filter(l -> l.matches("\\| \\d.*")).toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).startsWith("| 1 | 0 | 12 | ");
    assertThat(rows.get(3)).startsWith("| 2 | 30 | 12 | ");
  }

  @Test
  void killAfterNeedsFork() {
    CommandRunner.Execution run = CommandRunner.execute("event-log", "--kill-after-ms", "100");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--kill-after-ms: 100 (expected: 0, or > 0 with --fork)");
  }

  @Test
  void badRateIsAUsageError() {
    CommandRunner.Execution run = CommandRunner.execute("event-log", "--loss-rate", "1.5");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("lossRate: 1.5 (expected: 0..1");
  }

  @Test
  void forkRestartsRealJvmsThatDieUntilTheLogIsComplete() throws Exception {
    Path log = dir.resolve("events.log");

    CommandRunner.Execution run = CommandRunner.execute("event-log", "--fork", "--seed", "3",
        "--count", "300", "--loss-rate", "0", "--termination-rate", "0.004",
        "--output", log.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    EventLogRun.Result r = run.<EventLogCommand>subcommand("event-log").result();
    assertThat(run.out()).contains("# " + r.restarts() + " children terminated by the source");
    assertThat(r.restarts()).isBetween(1, 3);
    assertThat(r.metrics().coverage()).isEqualTo(1.0);
    assertThat(r.metrics().duplicateLines()).isZero();
    assertThat(r.malformedLines()).isZero();
  }
}

package io.keelrpc.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ChaosSoakShortTest {
  @Test
  @Timeout(120)
  void fourClientsUnderFaultsAndSigkillRestartsLeaveACorrectHistory(@TempDir Path dir)
      throws Exception {
    ChaosSoak.Config config = ChaosSoak.Config.defaults(dir)
        .withClients(4)
        .withOperations(1_500)
        .withKeys(4)
        .withRestartEvery(Duration.ofMillis(6_000))
        .withSeed(7);

    ChaosSoak.Report r = new ChaosSoak(config).run(line -> { });

    StringWriter figures = new StringWriter();
    ChaosSoakCommand.print(new PrintWriter(figures), r);
    System.out.println("chaos soak (short):\n" + figures);
    assertThat(r.verdict().violations()).as(figures.toString()).isEmpty();
    assertThat(r.operations()).isEqualTo(1_500);
    assertThat(r.restarts()).as("SIGKILL restarts").isGreaterThanOrEqualTo(1);
    assertThat(r.clientFaults().requestsDropped()).isPositive();
    assertThat(r.clientFaults().duplicated()).isPositive();
    assertThat(r.serverFaults()).hasValueSatisfying(
        f -> assertThat(f.responsesDropped()).isPositive());
    assertThat(r.historyOps()).isGreaterThan(1_500);
  }
}

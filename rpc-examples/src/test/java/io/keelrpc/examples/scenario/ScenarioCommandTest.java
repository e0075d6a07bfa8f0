package io.keelrpc.examples.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioCommandTest {

  @Test
  void theBuiltInScenarioRunsAndReportsTheInvariant() {
    CommandRunner.Execution run = CommandRunner.execute("kv-scenario", "--duration", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("final store state", "per client", "injected faults")
        .contains("invariant OK: every key's value equals its acknowledged increments");
  }

  @Test
  void printConfigShowsTheBuiltInScenario() {
    CommandRunner.Execution run = CommandRunner.execute("kv-scenario", "--print-config");

    assertThat(run.exitCode()).isZero();
    assertThat(ScenarioConfig.parse(run.out())).isEqualTo(ScenarioConfig.builtIn());
  }

  @Test
  void aBadConfigFileIsAClearErrorWithExitCodeTwo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]}],"
        + "\"server_packet_loss_rate\":-1}");

    CommandRunner.Execution run = CommandRunner.execute("kv-scenario", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("server_packet_loss_rate: -1.0 (expected: 0..100 percent)");
  }
}

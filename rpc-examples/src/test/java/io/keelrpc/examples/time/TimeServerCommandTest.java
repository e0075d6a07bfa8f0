package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import org.junit.jupiter.api.Test;

/** {@code time-server} is listed and documents its options. */
class TimeServerCommandTest {
  @Test
  void helpShowsTheJarUsageLineAndThePortOption() {
    CommandRunner.Execution run = CommandRunner.execute("time-server", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Usage: java -jar rpc-examples/target/keel-examples.jar time-server [options]")
        .contains("--port=PORT", "--host=HOST", "net/rpc/jsonrpc");
  }

  @Test
  void isListedAmongTheExamples() {
    CommandRunner.Execution run = CommandRunner.execute();

    assertThat(run.err()).contains("time-server");
  }
}

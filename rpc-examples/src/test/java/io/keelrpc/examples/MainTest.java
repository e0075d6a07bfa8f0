package io.keelrpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void withoutAnExampleFailsWithTheUsage() {
    CommandRunner.Execution run = CommandRunner.execute();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("Usage: java -jar rpc-examples/target/keel-examples.jar <example> [options]")
        .contains("kv-scenario", "kv-server", "chaos-soak", "http-fetch", "counter-demo", "counter-proxy-demo",
            "counter-server", "counter-client", "append-demo", "loadgen", "event-log", "time-server",
            "time-client")
        .doesNotContain("loadgen-server");
  }

  @Test
  void everyExampleHasHelpWithTheJarUsageLine() {
    for (String example : new String[] {"kv-scenario", "kv-server", "chaos-soak", "http-fetch", "counter-demo",
        "counter-proxy-demo", "counter-server", "counter-client", "append-demo", "loadgen",
        "loadgen-server", "event-log", "time-server", "time-client"}) {
      CommandRunner.Execution run = CommandRunner.execute(example, "--help");

      assertThat(run.exitCode()).as(example).isZero();
      assertThat(run.out()).as(example).startsWith(
          "Usage: java -jar rpc-examples/target/keel-examples.jar " + example + " [options]");
    }
  }

  @Test
  void unknownOptionIsAUsageError() {
    CommandRunner.Execution run = CommandRunner.execute("counter-demo", "--nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--nope'");
  }
}

package io.keelrpc.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kv-server's command line: its help, and options refused before anything is opened. */
class KvServerCommandTest {
  @TempDir
  Path dir;

  @Test
  void helpHasTheJarUsageLineAndEveryOption() {
    CommandRunner.Execution run = CommandRunner.execute("kv-server", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Usage: java -jar rpc-examples/target/keel-examples.jar kv-server [options]")
        .contains("--port", "--backend=memory|file|sqlite", "--data-dir",
            "--fsync=always|interval|never", "--fsync-interval-ms", "--writer-history");
  }

  @Test
  void isListedAmongTheExamples() {
    assertThat(CommandRunner.execute().err()).contains("kv-server");
  }

  @Test
  void unknownBackendIsAUsageError() {
    CommandRunner.Execution run = CommandRunner.execute("kv-server", "--backend", "redis");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("backend: \"redis\" (expected: memory, file or sqlite)");
  }

  @Test
  void unknownFsyncPolicyIsAUsageErrorAndOpensNothing() {
    Path data = dir.resolve("data");
    CommandRunner.Execution run = CommandRunner.execute("kv-server", "--backend", "file",
        "--data-dir", data.toString(), "--fsync", "sometimes");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--fsync: sometimes (expected: always, interval or never)");
    assertThat(data).doesNotExist();
  }

  @Test
  void nonPositiveWriterHistoryIsAUsageError() {
    CommandRunner.Execution run = CommandRunner.execute("kv-server", "--writer-history", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--writer-history: 0 (expected: >= 1)");
  }
}

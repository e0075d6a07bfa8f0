package io.keelrpc.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.examples.CommandRunner;
import io.keelrpc.examples.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** counter-server in its own JVM, as a user runs it, stopped with SIGTERM like Ctrl+C. */
class CounterServerProcessTest {
  private static final Pattern LISTENING =
      Pattern.compile("counter-server: listening on 127\\.0\\.0\\.1:(\\d+)");

  @Test
  void servesUntilSigtermThenShutsDownGracefully(@TempDir Path dir) throws Exception {
    Path stdout = dir.resolve("stdout.txt");
    Process server = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-Dkeel.log.level=WARN", "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "counter-server", "--port", "0"))
        .redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      Matcher listening = await().atMost(Duration.ofSeconds(20))
          .until(() -> LISTENING.matcher(read(stdout)), Matcher::find);
      String port = listening.group(1);

      CommandRunner.Execution client = CommandRunner.execute("counter-client", "--port", port);
      assertThat(client.exitCode()).isZero();
      assertThat(client.out()).contains("\"result\":{\"key\":\"counter\",\"value\":6}");

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(read(stdout)).contains("counter-server: shutting down", "counter-server: stopped");
    } finally {
      server.destroyForcibly();
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}

package io.keelrpc.examples.kv;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.examples.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code kv-server} in a child JVM (this JVM's java binary and class path) on an ephemeral
 * loopback port, its stdout and stderr in files under the test's directory.
 */
final class KvServerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final int port;

  private KvServerProcess(Process process, Path stdout, Path stderr, int port) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.port = port;
  }

  /**
   * Starts {@code kv-server --port 0} with {@code args} and waits (Awaitility) until it prints its
   * listening line.
   *
   * @param logDir where {@code <name>.out} and {@code <name>.err} go
   */
  static KvServerProcess start(Path logDir, String name, String... args) throws IOException {
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElseThrow(),
        // Quick start matters more than peak speed for a server that lives a few seconds.
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-Dkeel.log.level=WARN", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "kv-server", "--port", "0"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    try {
      JsonNode listening = await("kv-server " + name + " prints its port")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .failFast("kv-server " + name + " exited", () -> !p.isAlive())
          .until(() -> listeningLine(out), Optional::isPresent)
          .orElseThrow();
      return new KvServerProcess(p, out, err, listening.get("port").asInt());
    } catch (RuntimeException | Error e) {
      p.destroyForcibly();
      throw new IllegalStateException("kv-server " + name + " did not start; stderr:\n"
          + read(err), e);
    }
  }

  private static Optional<JsonNode> listeningLine(Path out) throws IOException {
    for (String line : read(out).split("\n")) {
      if (line.startsWith("{")) {
        JsonNode node = JSON.readTree(line);
        if ("listening".equals(node.path("event").asText())) {
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** The loopback port it listens on. */
  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook, no final fsync, no graceful anything. Waits until it is dead. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kv-server survived SIGKILL for 20 s");
    }
  }

  /** What it printed on stderr so far, for failure messages. */
  String stderr() throws IOException {
    return read(stderr);
  }

  /** What it printed on stdout so far. */
  String stdout() throws IOException {
    return read(stdout);
  }

  /** SIGTERM, then waits for the graceful shutdown; SIGKILL if it takes over 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

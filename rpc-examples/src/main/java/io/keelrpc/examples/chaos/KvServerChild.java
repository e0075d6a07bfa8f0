package io.keelrpc.examples.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.examples.Main;
import io.keelrpc.examples.cli.EnvDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code kv-server} in a child JVM (this JVM's {@code java} and class path), its stdout and stderr
 * in files; the main-code sibling of the crash test's {@code KvServerProcess}. {@link #start}
 * waits until the child prints its listening line; {@link #kill} is SIGKILL; {@link #stop} is
 * SIGTERM and returns what the child printed, including its {@code faults} line.
 */
final class KvServerChild {
  /** How long a child may take to print its listening line. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Children still alive; SIGKILLed if this JVM exits first (Ctrl+C, a test timeout). */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> LIVE.forEach(Process::destroyForcibly), "kv-server-child-reaper"));
  }

  private final Process process;
  private final Path stdout;
  private final int port;

  private KvServerChild(Process process, Path stdout, int port) {
    this.process = process;
    this.stdout = stdout;
    this.port = port;
  }

  /**
   * Starts {@code kv-server --port <port> args...} and waits until it listens.
   *
   * @param logDir where {@code <name>.out} and {@code <name>.err} go
   * @throws IOException if it cannot be started, exits, or is not listening in time
   */
  static KvServerChild start(Path logDir, String name, int port, Ticker ticker, List<String> args)
      throws IOException, InterruptedException {
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElseThrow(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-Dkeel.log.level=WARN", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "kv-server", "--port", Integer.toString(port)));
    command.addAll(args);
    Process p = EnvDefaults.withoutKeelVariables(new ProcessBuilder(command))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    long deadline = ticker.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      Optional<JsonNode> listening = event(out, "listening");
      if (listening.isPresent()) {
        return new KvServerChild(p, out, listening.get().get("port").asInt());
      }
      // waitFor doubles as the poll interval, and ends it early if the child exits.
      if (p.waitFor(20, TimeUnit.MILLISECONDS) || ticker.nanoTime() - deadline > 0) {
        p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        throw new IOException("kv-server " + name + " did not start (exit "
            + (p.isAlive() ? "none" : p.exitValue()) + "); stderr:\n" + read(err));
      }
    }
  }

  /** The loopback port it listens on. */
  int port() {
    return port;
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no final fsync. Waits until it is dead. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kv-server survived SIGKILL for 20 s");
    }
  }

  /**
   * SIGTERM, waits for the graceful shutdown (SIGKILL after 20 s), and returns its
   * {@code faults} line if it printed one.
   */
  Optional<JsonNode> stop() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    return event(stdout, "faults");
  }

  private static Optional<JsonNode> event(Path out, String name) throws IOException {
    for (String line : read(out).split("\n")) {
      if (line.startsWith("{") && line.endsWith("}")) {
        JsonNode node = KeelJson.mapper().readTree(line);
        if (name.equals(node.path("event").asText())) {
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}

package io.keelrpc.examples.load;

import io.keelrpc.examples.Main;
import io.keelrpc.examples.cli.EnvDefaults;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code loadgen-server} running in its own JVM on loopback, started with the same java binary
 * and class path as this one. {@link #close()} ends it: first by closing its stdin (it then shuts
 * down gracefully), then by terminating and finally killing it. A shutdown hook kills it too if
 * this JVM exits first, e.g. on Ctrl+C.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private final Process process;
  private final Thread reaper;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ServerProcess(Process process) {
    this.process = process;
    this.reaper = new Thread(process::destroyForcibly, "loadgen-server-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts the server JVM and waits until it reports its port.
   *
   * @param cache {@link CacheMode#on} or {@link CacheMode#off}
   * @param startTimeout how long to wait for the port
   * @param log where the child's stray stdout lines go
   * @throws IOException if the JVM cannot be started or exits before reporting its port
   * @throws TimeoutException if it does not report its port in time
   */
  static ServerProcess start(CacheMode cache, Duration startTimeout, PrintStream log)
      throws IOException, TimeoutException, InterruptedException {
    List<String> command = List.of(javaBinary(), "-Dkeel.log.level=WARN",
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "loadgen-server", "--port", "0", "--cache", cache.name());
    Process p = EnvDefaults.withoutKeelVariables(new ProcessBuilder(command))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    ServerProcess server = new ServerProcess(p);
    try {
      server.readStdout(log);
      return server.awaitPort(startTimeout);
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The server's loopback port. */
  int port() {
    return port.join();
  }

  /** The server JVM's process id. */
  long pid() {
    return process.pid();
  }

  /** Ends the server JVM, gently first; always leaves it dead. */
  @Override
  public void close() {
    try {
      try {
        process.getOutputStream().close(); // EOF on its stdin: it shuts down gracefully
      } catch (IOException e) {
        // already gone
      }
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroy();
        if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // this JVM is shutting down; the reaper runs anyway
      }
    }
  }

  private void readStdout(PrintStream log) {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!port.isDone()) {
            port.complete(parsePort(line));
          } else {
            log.println("loadgen-server: " + line);
          }
        }
      } catch (IOException | RuntimeException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IOException("the server JVM closed its stdout before "
          + "printing its port"));
    }, "loadgen-server-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private ServerProcess awaitPort(Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    try {
      port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (ExecutionException e) {
      String status = process.isAlive() ? "running" : "exited with status " + process.exitValue();
      throw new IOException("the server JVM (" + status + ") did not report its port: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      TimeoutException t = new TimeoutException("the server JVM did not report its port within "
          + timeout.toMillis() + " ms");
      t.initCause(e);
      throw t;
    }
  }

  private static int parsePort(String line) {
    try {
      int p = Integer.parseInt(line.trim());
      if (p < 1 || p > 65535) {
        throw new NumberFormatException("out of range");
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the server JVM's first line is not a port: \"" + line
          + "\"", e);
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}

package io.keelrpc.bench.load;

import io.keelrpc.bench.echo.Impl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An echo server ({@code BenchMain server}) in its own JVM on loopback, started with this JVM's
 * java binary and class path. {@link #close()} ends it: first by closing its stdin (it then stops
 * by itself), then SIGTERM, then SIGKILL. A shutdown hook kills it if this JVM exits first; and
 * if this JVM dies without running hooks, the server sees its stdin close and exits.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Thread hook;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ServerProcess(Process process) {
    this.process = process;
    this.hook = JavaProcesses.killOnExit(process, "bench-server-reaper");
  }

  /**
   * Starts the server JVM and waits until it reports its port.
   *
   * @throws IOException if it cannot be started or exits before reporting its port
   * @throws TimeoutException if it does not report its port within {@code startTimeout}
   */
  public static ServerProcess start(Impl impl, boolean flushEach, List<String> jvmFlags,
      Duration startTimeout, PrintStream log)
      throws IOException, TimeoutException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("server", "--impl", impl.cliName(), "--port", "0"));
    if (flushEach) {
      args.add("--flush-each");
    }
    return start(args, jvmFlags, startTimeout, log);
  }

  /**
   * Starts {@code BenchMain <args>} (a command that prints its port first, then serves until its
   * stdin closes) in its own JVM and waits until it reports its port.
   */
  public static ServerProcess start(List<String> args, List<String> jvmFlags,
      Duration startTimeout, PrintStream log)
      throws IOException, TimeoutException, InterruptedException {
    Process p = new ProcessBuilder(JavaProcesses.command(jvmFlags, args))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    ServerProcess server = new ServerProcess(p);
    try {
      server.readStdout(log);
      server.awaitPort(startTimeout);
      return server;
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The server's loopback port. */
  public int port() {
    return port.join();
  }

  /** The server JVM's process id. */
  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    try {
      try {
        process.getOutputStream().close(); // EOF on its stdin: it stops by itself
      } catch (IOException e) {
        // already gone
      }
      JavaProcesses.end(process, 5_000);
    } finally {
      JavaProcesses.removeHook(hook);
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
            log.println("bench-server: " + line);
          }
        }
      } catch (IOException | RuntimeException e) {
        port.completeExceptionally(e);
      }
      port.completeExceptionally(new IOException("the server JVM closed its stdout before "
          + "printing its port"));
    }, "bench-server-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private void awaitPort(Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    try {
      port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      String status = process.isAlive() ? "running" : "exited with status " + process.exitValue();
      throw new IOException("the server JVM (" + status + ") did not report its port: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("the server JVM did not report its port within "
          + timeout.toMillis() + " ms");
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
}

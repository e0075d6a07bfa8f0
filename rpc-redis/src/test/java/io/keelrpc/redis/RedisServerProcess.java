package io.keelrpc.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test harness: a real {@code redis-server} child process on a free loopback port, with no
 * persistence. {@link #start()} returns once the server answers {@code PING}; {@link #close()}
 * kills it. A machine without {@code redis-server} fails loudly (never skips).
 *
 * <p>Usage: {@code try (RedisServerProcess redis = RedisServerProcess.start()) { redis.uri(); }}
 */
public final class RedisServerProcess implements AutoCloseable {

  /** The message a test fails with when {@code redis-server} is missing. */
  public static final String NOT_FOUND =
      "redis-server not found: install it (apt-get install redis-server) "
          + "or run scripts/test.sh which installs it";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path log;

  private RedisServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a server on a free loopback port and waits until it answers PING. */
  public static RedisServerProcess start() {
    return startOn(freePort());
  }

  /**
   * Starts a server on the given loopback port (e.g. to restart on the port a stopped server had)
   * and waits until it answers PING.
   */
  public static RedisServerProcess startOn(int port) {
    String binary = findBinary();
    Path log;
    try {
      log = Files.createTempFile("keel-redis-" + port + "-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a log file for redis-server", e);
    }
    List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
        "--dir", System.getProperty("java.io.tmpdir")));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    RedisServerProcess server = new RedisServerProcess(p, port, log);
    server.awaitPing();
    return server;
  }

  /** The loopback port the server listens on. */
  public int port() {
    return port;
  }

  /** A Redis URI for clients, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the child process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends one inline command over a fresh socket and returns the first reply line. */
  public String command(String inline) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /** Kills the server (SIGKILL) and waits for it to exit. Idempotent. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }

  private void awaitPing() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue()
            + " before answering PING; its output:\n" + readLog());
      }
      try {
        if ("+PONG".equals(command("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      try {
        // Polling a child process for readiness: there is no event to wait on.
        process.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while waiting for redis-server", e);
      }
    }
    close();
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
        + START_TIMEOUT + (last == null ? "" : " (" + last.getMessage() + ")")
        + "; its output:\n" + readLog());
  }

  private String readLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static String findBinary() {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
    for (String dir : dirs) {
      File f = new File(dir, "redis-server");
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new IllegalStateException(NOT_FOUND);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }
}

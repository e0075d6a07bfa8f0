package io.keelrpc.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting and reliably ending child JVMs that run this same program. */
public final class JavaProcesses {
  /**
   * The JVM flags of every server JVM, and of every driver JVM the matrix starts: the same for all
   * implementations. A fixed heap (no resizing during a run), G1, and Netty's leak detector off
   * (it samples buffers with stack traces; gRPC's shaded copy reads its own property).
   */
  public static final List<String> DEFAULT_JVM_FLAGS = List.of(
      "-Xms512m", "-Xmx512m", "-XX:+UseG1GC",
      "-Dio.netty.leakDetection.level=disabled",
      "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  private JavaProcesses() {}

  /** {@code java <flags> -cp <this class path> io.keelrpc.bench.BenchMain <args>}. */
  public static List<String> command(List<String> jvmFlags, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.keelrpc.bench.BenchMain");
    cmd.addAll(args);
    return cmd;
  }

  /** The java binary running this JVM. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Parses a space-separated flags string ({@code ""} for none). */
  public static List<String> parseFlags(String flags) {
    List<String> out = new ArrayList<>();
    for (String f : flags.trim().split("\\s+")) {
      if (!f.isEmpty()) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Ends {@code p} and every process it started: first politely (its stdin is closed by the
   * caller beforehand if it listens to that), after {@code graceMillis} by SIGTERM, then SIGKILL.
   * Returns when they are gone (bounded: a few seconds beyond the grace period).
   */
  public static void end(Process p, long graceMillis) {
    try {
      if (p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
      List<ProcessHandle> descendants = p.descendants().toList();
      p.destroy();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
      }
      for (ProcessHandle d : descendants) {
        if (d.isAlive()) {
          d.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A shutdown hook that kills {@code p} and its descendants if this JVM exits first. */
  public static Thread killOnExit(Process p, String name) {
    Thread hook = new Thread(() -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Removes a hook added by {@link #killOnExit}; harmless during shutdown. */
  public static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // this JVM is shutting down: the hook runs anyway
    }
  }
}

package io.keelrpc.examples.eventlog;

import io.keelrpc.examples.Main;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code event-log --fork}: every process lifetime is a real child JVM running
 * {@code event-log --child} with the same options. A child exits 0 when the log is finished;
 * where the source terminates the process it dies with {@code Runtime.halt} (no flushing, no
 * shutdown hooks), exit status {@value #EXIT_TERMINATED}. With a kill delay the parent also
 * SIGKILLs each child ({@link Process#destroyForcibly()}) after a random delay, seeded, so
 * it can die anywhere, in the middle of a write too. The parent starts children until one
 * exits 0.
 */
final class ForkedRun {
  /** A child's exit status when the source terminated it. */
  static final int EXIT_TERMINATED = 3;
  /** The prefix of a finished child's one line of statistics. */
  static final String STATS_PREFIX = "event-log-child: finished";

  private ForkedRun() {}

  /** What the children did. */
  record Outcome(LoggerStats lastStats, RetransmitAudit audit, int terminated, int killed) {}

  /** A finished child's line: its statistics and the source's audit. */
  static String statsLine(LoggerStats s, RetransmitAudit a) {
    return STATS_PREFIX + " " + s.packetsReceived() + " " + s.packetsWritten() + " "
        + s.duplicatesDiscarded() + " " + s.corruptedPackets() + " " + s.retransmitRequests()
        + " " + s.retransmitsReceived() + " " + s.inversions() + " " + s.gaps() + " "
        + s.bufferFlushes() + " " + s.finalBufferSize() + " " + s.forcedFlushes() + " "
        + a.needed() + " " + a.premature() + " " + a.lost() + " " + a.repeated();
  }

  private static Optional<Outcome> parse(String output, int terminated, int killed) {
    for (String line : output.split("\n")) {
      if (line.startsWith(STATS_PREFIX + " ")) {
        String[] f = line.substring(STATS_PREFIX.length() + 1).trim().split(" ");
        if (f.length == 15) {
          long[] v = new long[15];
          for (int i = 0; i < 15; i++) {
            v[i] = Long.parseLong(f[i]);
          }
          return Optional.of(new Outcome(new LoggerStats(v[0], v[1], v[2], v[3], v[4], v[5],
              v[6], v[7], v[8], v[9], v[10]), new RetransmitAudit(v[11], v[12], v[13], v[14]),
              terminated, killed));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Starts children with {@code childArgs} (the {@code event-log} options, without
   * {@code --fork}) until one finishes.
   *
   * @param killAfterMs if positive, SIGKILL each child after a delay drawn from
   *     {@code [1, killAfterMs]} ms
   * @throws IOException if a child fails otherwise, or more than {@code maxRestarts} die
   */
  static Outcome run(List<String> childArgs, long seed, long killAfterMs, int maxRestarts)
      throws IOException, InterruptedException {
    Random delays = new Random(seed * 31 + 7);
    int terminated = 0;
    int killed = 0;
    while (true) {
      List<String> command = new ArrayList<>(List.of(javaBinary(), "-Dkeel.log.level=WARN",
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "event-log",
          "--child"));
      command.addAll(childArgs);
      Process child = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      child.getOutputStream().close();
      byte[][] stdout = new byte[1][];
      Thread reader = new Thread(() -> stdout[0] = readAll(child.getInputStream()),
          "event-log-child-stdout");
      reader.setDaemon(true);
      reader.start();
      boolean exited;
      try {
        if (killAfterMs > 0) {
          long delay = 1 + (long) (delays.nextDouble() * killAfterMs);
          exited = child.waitFor(delay, TimeUnit.MILLISECONDS);
          if (!exited) {
            child.destroyForcibly();
            child.waitFor();
          }
        } else {
          child.waitFor();
          exited = true;
        }
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
      }
      reader.join();
      int status = child.exitValue();
      if (exited && status == 0) {
        String out = new String(stdout[0], StandardCharsets.UTF_8);
        int t = terminated;
        int k = killed;
        return parse(out, t, k).orElseThrow(() -> new IOException(
            "the child finished without its statistics line: " + out));
      }
      if (!exited) {
        killed++;
      } else if (status == EXIT_TERMINATED) {
        terminated++;
      } else {
        throw new IOException("the child JVM failed with exit status " + status);
      }
      if (terminated + killed > maxRestarts) {
        throw new IOException("more than " + maxRestarts + " children died (--max-restarts)");
      }
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}

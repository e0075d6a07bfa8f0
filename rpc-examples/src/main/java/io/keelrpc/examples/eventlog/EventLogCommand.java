package io.keelrpc.examples.eventlog;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code event-log}: seed 001's durable event log ("Problem 3"). Runs a seeded
 * {@link MessageSource} into an {@link EventLogger} until everything was delivered, restarting
 * after each of the source's process terminations (in-process by default, real child JVMs
 * with {@code --fork}, optionally SIGKILLed at random with {@code --kill-after-ms}), then
 * prints the seed's statistics and the coverage, ordering and retransmit-efficiency metrics.
 * {@code --sweep} prints those metrics as a Markdown table over several seeds and buffer
 * sizes instead.
 */
@Command(
    name = "event-log",
    description = {
        "Seed 001's durable event log: a seeded message source (loss, reordering within a "
            + "window, duplicates, CRC32 corruption, retransmission on request, random process "
            + "termination with resumable state) feeds a logger that appends "
            + "sequence,timestamp,payload_hex,status lines (OK, LATE, RETRANSMIT) to an "
            + "append-only file, reordering in a bounded buffer. Each termination kills the "
            + "logger (its buffer is lost) and a new one resumes from the file. Prints the "
            + "seed's statistics, coverage, ordering and retransmit efficiency.",
        "With --sweep: runs every --seeds x --buffer-sizes combination in a temporary "
            + "directory and prints a Markdown table of the metrics."})
public final class EventLogCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed of the packets, faults and terminations (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
      description = "Packets to generate (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(names = "--reorder-window", defaultValue = "10", paramLabel = "W",
      description = "Most positions a packet is delayed by (default: ${DEFAULT-VALUE}).")
  private int reorderWindow;

  @Option(names = "--duplicate-rate", defaultValue = "0.05", paramLabel = "P",
      description = "Probability of a second delivery (default: ${DEFAULT-VALUE}).")
  private double duplicateRate;

  @Option(names = "--loss-rate", defaultValue = "0.02", paramLabel = "P",
      description = "Probability a packet is never delivered (default: ${DEFAULT-VALUE}).")
  private double lossRate;

  @Option(names = "--corruption-rate", defaultValue = "0.03", paramLabel = "P",
      description = "Probability of a bad checksum, per delivery and per retransmission "
          + "(default: ${DEFAULT-VALUE}).")
  private double corruptionRate;

  @Option(names = "--termination-rate", defaultValue = "0.005", paramLabel = "P",
      description = "Probability, per delivery, that the source terminates the process "
          + "(default: ${DEFAULT-VALUE}).")
  private double terminationRate;

  @Option(names = "--buffer-size", defaultValue = "30", paramLabel = "B",
      description = "Packets held back at most, waiting for a missing one; 0 writes each as "
          + "it arrives (default: ${DEFAULT-VALUE}).")
  private int bufferSize;

  @Option(names = "--gap-timeout", defaultValue = "12", paramLabel = "PACKETS",
      description = "Packets received before a missing sequence is requested again "
          + "(default: ${DEFAULT-VALUE}).")
  private int gapTimeout;

  @Option(names = "--retransmit-timeout", defaultValue = "4", paramLabel = "PACKETS",
      description = "Packets, beyond those serving earlier requests, before an unanswered "
          + "request stops holding the buffer back (default: ${DEFAULT-VALUE}).")
  private int retransmitTimeout;

  @Option(names = "--output", defaultValue = "events.log", paramLabel = "FILE",
      description = "The append-only log; an existing one is resumed (default: "
          + "${DEFAULT-VALUE}).")
  private Path output;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where the source keeps .ms_<seed>.state (default: the log's directory).")
  private Path stateDir;

  @Option(names = "--fsync", defaultValue = "interval", paramLabel = "always|interval|never",
      description = "Force written lines to the device after every batch, at most every "
          + "--fsync-interval-ms, or only at the end (default: ${DEFAULT-VALUE}).")
  private String fsync;

  @Option(names = "--fsync-interval-ms", defaultValue = "100", paramLabel = "MS",
      description = "The interval of --fsync interval (default: ${DEFAULT-VALUE}).")
  private long fsyncIntervalMs;

  @Option(names = "--epoch", paramLabel = "SECONDS",
      description = "Unix time of packet 0's timestamp, for a new source (default: now).")
  private Long epochSeconds;

  @Option(names = "--fork",
      description = "Run every process lifetime in a child JVM that really dies (Runtime.halt) "
          + "where the source terminates it.")
  private boolean fork;

  @Option(names = "--kill-after-ms", defaultValue = "0", paramLabel = "MS",
      description = "With --fork: also SIGKILL each child after a random delay up to MS "
          + "(seeded), wherever it is (default: ${DEFAULT-VALUE}: never).")
  private long killAfterMs;

  @Option(names = "--max-restarts", defaultValue = "10000", paramLabel = "N",
      description = "Give up after N terminations (default: ${DEFAULT-VALUE}).")
  private int maxRestarts;

  @Option(names = "--sweep", description = "Print a Markdown table over --seeds and "
      + "--buffer-sizes instead (each run in a temporary directory; --output is not used).")
  private boolean sweep;

  @Option(names = "--seeds", split = ",", defaultValue = "1,2,42", paramLabel = "S",
      description = "Seeds of --sweep (default: ${DEFAULT-VALUE}).")
  private List<Long> seeds;

  @Option(names = "--buffer-sizes", split = ",", defaultValue = "0,4,8,16,30,64,256",
      paramLabel = "B", description = "Buffer sizes of --sweep (default: ${DEFAULT-VALUE}).")
  private List<Integer> bufferSizes;

  @Option(names = "--child", hidden = true,
      description = "Run one process lifetime (what --fork starts).")
  private boolean child;

  private EventLogRun.Result result;

  /** The result of the last in-process run, or null. */
  public EventLogRun.Result result() {
    return result;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (killAfterMs < 0 || (killAfterMs > 0 && !fork)) {
      throw new ParameterException(spec.commandLine(), "--kill-after-ms: " + killAfterMs
          + " (expected: 0, or > 0 with --fork)");
    }
    if (maxRestarts < 0) {
      throw new ParameterException(spec.commandLine(), "--max-restarts: " + maxRestarts
          + " (expected: >= 0)");
    }
    SourceConfig source = sourceConfig(seed);
    LoggerConfig logger = loggerConfig(bufferSize);
    PrintWriter out = spec.commandLine().getOut();
    if (sweep) {
      sweep(source, logger, out);
      return 0;
    }
    EventLogRun run = EventLogRun.builder(source, output).logger(logger)
        .stateDir(stateDir != null ? stateDir : EventLogRun.defaultStateDir(output))
        .clock(clock()).ticker(Ticker.system()).maxRestarts(maxRestarts).build();
    if (child) {
      EventLogRun.Incarnation i = run.incarnation();
      if (!i.finished()) {
        out.flush();
        Runtime.getRuntime().halt(ForkedRun.EXIT_TERMINATED); // die as the seed's sys.exit(1)
      }
      out.println(ForkedRun.statsLine(i.stats(), i.audit()));
      out.flush();
      return 0;
    }
    out.println(header(source, logger));
    out.flush();
    if (fork) {
      long start = Ticker.system().nanoTime();
      ForkedRun.Outcome o = ForkedRun.run(childArgs(), seed, killAfterMs, maxRestarts);
      result = run.result(o.lastStats(), o.audit(), o.terminated() + o.killed(),
          Ticker.system().nanoTime() - start);
      out.println("# " + o.terminated() + " children terminated by the source, " + o.killed()
          + " SIGKILLed; the counters are the finishing child's (the others died with theirs), "
          + "the metrics come from the file");
    } else {
      result = run.run();
    }
    printReport(result, out);
    out.flush();
    return 0;
  }

  private void sweep(SourceConfig source, LoggerConfig logger, PrintWriter out)
      throws IOException {
    out.println("# event-log --sweep: " + conditions(source, logger, ""));
    out.println("| seed | buffer | gap timeout | restarts | lost in buffer | requests (needed / "
        + "premature / lost / repeated) | LATE | forced flushes | coverage | bound | ordering "
        + "| retransmit efficiency |");
    out.println("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    out.flush();
    for (long s : seeds) {
      for (int b : bufferSizes) {
        Path dir = Files.createTempDirectory("event-log-sweep");
        try {
          EventLogRun.Result r = EventLogRun.builder(sourceConfig(s), dir.resolve("events.log"))
              .logger(loggerConfig(b)).clock(clock()).maxRestarts(maxRestarts).build().run();
          EventLogMetrics m = r.metrics();
          RetransmitAudit a = m.audit();
          out.println(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d (%d / %d / %d / "
              + "%d) | %d | %d | %.4f | %.4f | %.6f | %.3f |", s, b, gapTimeout, r.restarts(),
              r.stats().finalBufferSize(), a.total(), a.needed(), a.premature(), a.lost(),
              a.repeated(), m.lateLines(), r.stats().forcedFlushes(), m.coverage(),
              r.coverageBound(), m.ordering(), m.retransmitEfficiency()));
          out.flush();
        } finally {
          deleteRecursively(dir);
        }
      }
    }
  }

  private static String header(SourceConfig s, LoggerConfig l) {
    return "# event-log: seed " + s.seed() + ", " + conditions(s, l, "buffer " + l.bufferSize()
        + ", ");
  }

  /** The parameters but the seed, and the buffer unless given in {@code buffer}. */
  private static String conditions(SourceConfig s, LoggerConfig l, String buffer) {
    return String.format(Locale.ROOT, "%d packets, reorder window %d, duplicates %s, loss %s, "
        + "corruption %s, termination %s per delivery; %sgap timeout %d, retransmit timeout %d "
        + "packets, fsync %s", s.totalPackets(), s.reorderWindow(), s.duplicateRate(),
        s.lossRate(), s.corruptionRate(), s.terminationRate(), buffer, l.gapTimeout(),
        l.retransmitTimeout(), l.fsync());
  }

  private static void printReport(EventLogRun.Result r, PrintWriter out) {
    LoggerStats s = r.stats();
    EventLogMetrics m = r.metrics();
    row(out, "restarts", r.restarts());
    row(out, "packets_received", s.packetsReceived());
    row(out, "packets_written", s.packetsWritten());
    row(out, "duplicates_discarded", s.duplicatesDiscarded());
    row(out, "corrupted_packets", s.corruptedPackets());
    row(out, "retransmit_requests", s.retransmitRequests());
    row(out, "retransmits_received", s.retransmitsReceived());
    row(out, "inversions", s.inversions() + " (LATE lines)");
    row(out, "gaps", s.gaps() + " (sequences missing from the log)");
    row(out, "buffer_flushes", s.bufferFlushes());
    row(out, "final_buffer_size", s.finalBufferSize() + " (packets lost in buffers at "
        + "terminations)");
    row(out, "forced_flushes", s.forcedFlushes());
    row(out, "coverage", String.format(Locale.ROOT, "%.4f (%d of %d logged; the source "
        + "delivers %d: bound %.4f)", m.coverage(), m.logged(), m.generated(), r.deliverable(),
        r.coverageBound()));
    row(out, "ordering", String.format(Locale.ROOT, "%.6f (%d inverted pairs of %d)",
        m.ordering(), m.invertedPairs(), (long) m.logged() * (m.logged() - 1) / 2));
    RetransmitAudit a = m.audit();
    row(out, "retransmit_efficiency", String.format(Locale.ROOT, "%.4f (%d of %d requests "
        + "needed; %d premature, %d for lost packets, %d repeated)", m.retransmitEfficiency(),
        a.needed(), a.total(), a.premature(), a.lost(), a.repeated()));
    row(out, "lines", "OK " + m.okLines() + ", LATE " + m.lateLines() + ", RETRANSMIT "
        + m.retransmitLines() + ", malformed " + r.malformedLines() + ", duplicate "
        + m.duplicateLines());
    row(out, "elapsed", r.elapsed().toMillis() + " ms");
  }

  private static void row(PrintWriter out, String name, Object value) {
    out.println(String.format(Locale.ROOT, "%-22s %s", name + ":", value));
  }

  private List<String> childArgs() {
    List<String> a = new ArrayList<>(List.of("--seed", Long.toString(seed),
        "--count", Integer.toString(count), "--reorder-window", Integer.toString(reorderWindow),
        "--duplicate-rate", Double.toString(duplicateRate),
        "--loss-rate", Double.toString(lossRate),
        "--corruption-rate", Double.toString(corruptionRate),
        "--termination-rate", Double.toString(terminationRate),
        "--buffer-size", Integer.toString(bufferSize),
        "--gap-timeout", Integer.toString(gapTimeout),
        "--retransmit-timeout", Integer.toString(retransmitTimeout),
        "--output", output.toAbsolutePath().toString(),
        "--fsync", fsync, "--fsync-interval-ms", Long.toString(fsyncIntervalMs),
        "--epoch", Long.toString(clock().instant().getEpochSecond())));
    if (stateDir != null) {
      a.addAll(List.of("--state-dir", stateDir.toAbsolutePath().toString()));
    }
    return a;
  }

  private Clock clock() {
    return epochSeconds == null ? Clock.systemUTC()
        : Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }

  private SourceConfig sourceConfig(long s) {
    try {
      return SourceConfig.builder(s).totalPackets(count).reorderWindow(reorderWindow)
          .duplicateRate(duplicateRate).lossRate(lossRate).corruptionRate(corruptionRate)
          .terminationRate(terminationRate).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private LoggerConfig loggerConfig(int buffer) {
    FsyncPolicy policy = switch (fsync) {
      case "always" -> FsyncPolicy.always();
      case "never" -> FsyncPolicy.never();
      case "interval" -> {
        if (fsyncIntervalMs < 1) {
          throw new ParameterException(spec.commandLine(), "--fsync-interval-ms: "
              + fsyncIntervalMs + " (expected: >= 1)");
        }
        yield FsyncPolicy.every(Duration.ofMillis(fsyncIntervalMs));
      }
      default -> throw new ParameterException(spec.commandLine(), "--fsync: " + fsync
          + " (expected: always, interval or never)");
    };
    try {
      return LoggerConfig.builder().bufferSize(buffer).gapTimeout(gapTimeout)
          .retransmitTimeout(retransmitTimeout).fsync(policy).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

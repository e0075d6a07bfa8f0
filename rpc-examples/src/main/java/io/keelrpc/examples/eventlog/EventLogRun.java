package io.keelrpc.examples.eventlog;

import io.keelrpc.core.time.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Runs a {@link MessageSource} into an {@link EventLogger} until everything was delivered,
 * simulating the seed's process terminations in-process: when the source throws
 * {@link SourceTerminatedException}, the logger is dropped as a dead process would drop it (its
 * buffer is lost; what it wrote stays), and a new source and logger are opened from the files
 * on disk, up to {@code maxRestarts} times.
 *
 * <pre>{@code
 * EventLogRun.Result r = EventLogRun.builder(sourceConfig, Path.of("events.log")).build().run();
 * System.out.println(r.metrics().coverage());
 * }</pre>
 */
public final class EventLogRun {
  /** Default of {@link Builder#maxRestarts(int)}. */
  public static final int DEFAULT_MAX_RESTARTS = 10_000;

  private final SourceConfig sourceConfig;
  private final LoggerConfig loggerConfig;
  private final Path logFile;
  private final Path stateDir;
  private final Clock clock;
  private final Ticker ticker;
  private final int maxRestarts;

  private EventLogRun(Builder b) {
    this.sourceConfig = b.sourceConfig;
    this.loggerConfig = b.loggerConfig;
    this.logFile = b.logFile;
    this.stateDir = b.stateDir != null ? b.stateDir : defaultStateDir(b.logFile);
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.maxRestarts = b.maxRestarts;
  }

  /** A run of {@code source} into {@code logFile}. */
  public static Builder builder(SourceConfig source, Path logFile) {
    return new Builder(source, logFile);
  }

  /** Where the source's state goes unless set: the log file's directory. */
  public static Path defaultStateDir(Path logFile) {
    Path parent = logFile.toAbsolutePath().getParent();
    return parent != null ? parent : Path.of(".");
  }

  /**
   * What one process lifetime did.
   *
   * @param finished whether the source was exhausted and the log finished; false if the process
   *     was terminated
   * @param stats the logger's statistics; for a terminated one {@code finalBufferSize} is the
   *     number of packets lost with its buffer
   * @param continuedTornTail whether it found a torn last line and terminated it
   * @param audit the source's audit of every request so far, this run's and earlier ones'
   */
  public record Incarnation(boolean finished, LoggerStats stats, boolean continuedTornTail,
      RetransmitAudit audit) {}

  /**
   * The outcome of a whole run.
   *
   * @param stats the statistics of every incarnation summed ({@link LoggerStats#plus})
   * @param restarts how many times the process was terminated and restarted
   * @param metrics coverage, ordering and retransmit efficiency of the final log
   * @param deliverable distinct sequences the source could deliver (the coverage bound)
   * @param malformedLines lines of the final log that do not parse (terminated torn lines)
   * @param elapsed wall time, by the injected ticker
   */
  public record Result(LoggerStats stats, int restarts, EventLogMetrics metrics, int deliverable,
      int malformedLines, Duration elapsed) {
    /** {@code deliverable / generated}: the best coverage any logger could reach. */
    public double coverageBound() {
      return (double) deliverable / metrics.generated();
    }
  }

  /**
   * One process lifetime: opens (or resumes) the source and a logger, and runs until the source
   * is exhausted or terminates the process.
   */
  public Incarnation incarnation() throws IOException {
    try (MessageSource source = MessageSource.open(sourceConfig, stateDir, clock);
        EventLogger logger = EventLogger.open(logFile, source, loggerConfig, ticker)) {
      try {
        LoggerStats stats = logger.run();
        return new Incarnation(true, stats, logger.continuedTornTail(), source.audit());
      } catch (SourceTerminatedException e) {
        return new Incarnation(false, logger.stats(), logger.continuedTornTail(),
            source.audit());
      }
    }
  }

  /**
   * Runs incarnations until one finishes, then measures the log.
   *
   * @throws IOException if a file cannot be read or written, or the process was terminated more
   *     than {@code maxRestarts} times
   */
  public Result run() throws IOException {
    long start = ticker.nanoTime();
    LoggerStats total = LoggerStats.ZERO;
    int restarts = 0;
    while (true) {
      Incarnation i = incarnation();
      total = total.plus(i.stats());
      if (i.finished()) {
        return result(total, i.audit(), restarts, ticker.nanoTime() - start);
      }
      if (++restarts > maxRestarts) {
        throw new IOException("terminated more than " + maxRestarts + " times (maxRestarts)");
      }
    }
  }

  /** Measures the log as it is now, with the other figures as given. */
  public Result result(LoggerStats stats, RetransmitAudit audit, int restarts, long elapsedNanos)
      throws IOException {
    EventLogFile.Contents contents = EventLogFile.read(logFile);
    return new Result(stats, restarts,
        EventLogMetrics.of(contents.entries(), sourceConfig.totalPackets(), stats, audit),
        MessageSource.deliverableSequences(sourceConfig), contents.malformedLines(),
        Duration.ofNanos(elapsedNanos));
  }

  /** Builds an {@link EventLogRun}. */
  public static final class Builder {
    private final SourceConfig sourceConfig;
    private final Path logFile;
    private LoggerConfig loggerConfig = LoggerConfig.builder().build();
    private Path stateDir;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private int maxRestarts = DEFAULT_MAX_RESTARTS;

    private Builder(SourceConfig sourceConfig, Path logFile) {
      this.sourceConfig = Objects.requireNonNull(sourceConfig, "sourceConfig");
      this.logFile = Objects.requireNonNull(logFile, "logFile");
    }

    /** The logger's configuration (default: {@link LoggerConfig#builder()}'s defaults). */
    public Builder logger(LoggerConfig config) {
      this.loggerConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Where the source keeps its state (default: the log file's directory). */
    public Builder stateDir(Path dir) {
      this.stateDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Gives a new source its epoch (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Measures fsync intervals and the elapsed time (default: {@link Ticker#system()}). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Terminations tolerated before giving up, {@code >= 0} (default 10 000). */
    public Builder maxRestarts(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxRestarts: " + n + " (expected: >= 0)");
      }
      this.maxRestarts = n;
      return this;
    }

    /** The run. */
    public EventLogRun build() {
      return new EventLogRun(this);
    }
  }
}

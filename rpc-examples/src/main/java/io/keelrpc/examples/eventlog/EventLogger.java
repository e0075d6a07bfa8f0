package io.keelrpc.examples.eventlog;

import io.keelrpc.core.time.Ticker;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The seed's {@code EventLogger}: receives packets from a {@link PacketSource} and appends each
 * sequence once to an {@link EventLogFile}, as much in order as its bounded buffer allows.
 *
 * <h2>Per packet</h2>
 * <ul>
 *   <li>Bad checksum: counted, and the sequence requested again unless it is already logged or
 *       buffered (also when a request is pending: the corrupted copy may be its answer).</li>
 *   <li>Sequence already logged or buffered: a duplicate, discarded.</li>
 *   <li>The next sequence to write: written ({@code OK}, or {@code RETRANSMIT} if it had been
 *       requested), followed by every buffered packet that is now in order.</li>
 *   <li>Higher: buffered; every sequence between it and the highest known one becomes a
 *       <em>gap</em>.</li>
 *   <li>Lower (its gap was given up): written at once, {@code LATE} if a higher sequence is
 *       already in the file.</li>
 * </ul>
 *
 * <h2>Gaps</h2>
 * "Time" is packets received. A gap still open {@link LoggerConfig#gapTimeout()} packets after
 * it was noticed is requested from the source, once per logger. The lowest gap holds the buffer
 * back until either the buffer holds more than {@link LoggerConfig#bufferSize()} packets or its
 * request is overdue (the source answers one request per receive, in order, so a request is
 * due after those before it plus {@link LoggerConfig#retransmitTimeout()}); then it is given up
 * (a forced flush) and the packets after it are written. A given-up gap is still requested when
 * its timeout comes, and written {@code LATE} if it arrives. When the source has no regular
 * deliveries left, every sequence still missing and not yet requested by this logger is
 * requested, so nothing the source still has is left behind.
 *
 * <h2>Crash and resume</h2>
 * Only lines written to the file survive a crash; the buffer is lost with the process. A new
 * logger on the same file recovers its position from the file alone: the set of logged
 * sequences (duplicates of those are discarded) and the highest one (anything above it is a gap
 * again, so the packets lost in the buffer are requested back). A torn last line is terminated
 * and skipped ({@link EventLogFile}); bytes already in the file are never rewritten.
 *
 * <pre>{@code
 * try (EventLogger logger = EventLogger.open(path, source, LoggerConfig.builder().build(),
 *     Ticker.system())) {
 *   LoggerStats stats = logger.run();   // SourceTerminatedException: the process "died"
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class EventLogger implements Closeable {
  private final PacketSource source;
  private final LoggerConfig config;
  private final EventLogFile.Appender out;
  private final int recoveredEntries;
  private final int malformedLines;

  /** Sequences in the file. */
  private final BitSet written = new BitSet();
  /** Packets held back, by sequence; all above {@link #nextExpected}. */
  private final TreeMap<Integer, Held> buffer = new TreeMap<>();
  /** Gaps in the order they were noticed (which is also sequence order): seq, noticedAt. */
  private final ArrayDeque<long[]> noticed = new ArrayDeque<>();
  /** Sequences requested in this run. */
  private final BitSet requested = new BitSet();
  /** Requested and not yet arrived intact. */
  private final BitSet awaiting = new BitSet();
  /** When the request of a gap at or above {@link #nextExpected} is overdue. */
  private final Map<Integer, Long> due = new HashMap<>();
  private final List<LogEntry> batch = new ArrayList<>();

  /** The lowest sequence neither written nor given up. */
  private int nextExpected;
  private int maxWritten;
  /** The highest sequence known to exist (logged, buffered, or seen corrupted). */
  private int maxKnown;
  /** Packets received: the logger's clock. */
  private long now;
  /** When the source will have answered every request made so far. */
  private long answeredBy;
  private boolean swept;
  private boolean finished;

  private long received;
  private long writtenCount;
  private long duplicates;
  private long corrupted;
  private long requests;
  private long recovered;
  private long late;
  private long flushes;
  private long forced;

  private record Held(Packet packet, boolean recovered) {}

  private EventLogger(PacketSource source, LoggerConfig config, Path logFile, Ticker ticker)
      throws IOException {
    this.source = source;
    this.config = config;
    int[] count = {0};
    int[] max = {-1};
    int total = source.totalPackets();
    EventLogFile.Scan scan = EventLogFile.scan(logFile, e -> {
      if (e.sequence() < total) { // beyond the ground truth: foreign, ignored
        written.set(e.sequence());
        max[0] = Math.max(max[0], e.sequence());
        count[0]++;
      }
    });
    this.recoveredEntries = count[0];
    this.malformedLines = scan.malformedLines();
    this.maxWritten = max[0];
    this.maxKnown = max[0];
    this.nextExpected = max[0] + 1;
    this.out = EventLogFile.append(logFile, config.fsync(), ticker);
  }

  /**
   * A logger appending to {@code logFile}, resuming from what it holds.
   *
   * @param ticker measures the fsync interval of {@link LoggerConfig#fsync()}
   * @throws IOException if the file cannot be read or opened for appending
   */
  public static EventLogger open(Path logFile, PacketSource source, LoggerConfig config,
      Ticker ticker) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(ticker, "ticker");
    return new EventLogger(source, config, logFile, ticker);
  }

  /**
   * Receives until the source is exhausted, then writes out the buffer and forces the file.
   *
   * @return the statistics of this logger
   * @throws SourceTerminatedException when the source terminates the process: stop using this
   *     logger (close it; the buffer is lost) and resume with a new one
   */
  public LoggerStats run() throws IOException, SourceTerminatedException {
    while (step()) {
      // next packet
    }
    return stats();
  }

  /**
   * Receives and handles one packet, or finishes the log if the source is exhausted.
   *
   * @return false once finished
   */
  public boolean step() throws IOException, SourceTerminatedException {
    if (finished) {
      return false;
    }
    if (!swept && source.remainingDeliveries() == 0) {
      sweep();
    }
    Optional<Packet> p = source.receive();
    if (p.isEmpty()) {
      finish();
      return false;
    }
    handle(p.get());
    requestTimedOutGaps();
    giveUpStalledGaps();
    flush();
    return true;
  }

  /** The statistics so far; {@code finalBufferSize} is what the buffer holds now. */
  public LoggerStats stats() {
    int total = source.totalPackets();
    long missing = total - written.get(0, total).cardinality();
    return new LoggerStats(received, writtenCount, duplicates, corrupted, requests, recovered,
        late, missing, flushes, buffer.size(), forced);
  }

  /** Packets held in the buffer now (what a crash now would lose). */
  public int buffered() {
    return buffer.size();
  }

  /** Valid lines of sequences below {@code totalPackets} the file held when opened. */
  public int recoveredEntries() {
    return recoveredEntries;
  }

  /** Lines of the file at open that did not parse (e.g. a torn line, once terminated). */
  public int malformedLinesAtOpen() {
    return malformedLines;
  }

  /** Whether opening found a torn last line and terminated it. */
  public boolean continuedTornTail() {
    return out.continuedTornTail();
  }

  /** Closes the file (forcing what was written). Does not write the buffer: see {@link #run}. */
  @Override
  public void close() throws IOException {
    out.close();
  }

  private void handle(Packet p) throws IOException {
    now++;
    received++;
    int s = p.sequence();
    if (!p.checksumValid()) {
      corrupted++;
      if (!written.get(s) && !buffer.containsKey(s)) {
        notice(s);
        request(s);
      }
      return;
    }
    if (written.get(s) || buffer.containsKey(s)) {
      duplicates++;
      return;
    }
    boolean wasRequested = awaiting.get(s);
    if (wasRequested) {
      awaiting.clear(s);
      recovered++;
    }
    due.remove(s);
    if (s < nextExpected) {
      write(p, wasRequested);
    } else if (s == nextExpected) {
      write(p, wasRequested);
      nextExpected++;
      drain();
    } else {
      notice(s);
      buffer.put(s, new Held(p, wasRequested));
    }
  }

  /** Records that {@code s} exists: every unknown sequence below it becomes a gap. */
  private void notice(int s) {
    if (s <= maxKnown) {
      return;
    }
    for (int g = Math.max(maxKnown + 1, nextExpected); g < s; g++) {
      if (!written.get(g) && !buffer.containsKey(g)) {
        noticed.add(new long[] {g, now});
      }
    }
    maxKnown = s;
  }

  private void requestTimedOutGaps() throws IOException {
    while (!noticed.isEmpty() && noticed.peek()[1] + config.gapTimeout() <= now) {
      int g = (int) noticed.poll()[0];
      if (!written.get(g) && !buffer.containsKey(g) && !requested.get(g)) {
        request(g);
      }
    }
  }

  private void giveUpStalledGaps() {
    while (!buffer.isEmpty()) {
      Long d = due.get(nextExpected);
      boolean overflow = buffer.size() > config.bufferSize();
      if (!overflow && (d == null || d > now)) {
        return;
      }
      due.remove(nextExpected);
      forced++;
      nextExpected++;
      drain();
    }
  }

  private void request(int s) throws IOException {
    source.requestRetransmit(s);
    requests++;
    requested.set(s);
    awaiting.set(s);
    answeredBy = Math.max(answeredBy, now) + 1;
    if (s >= nextExpected) {
      due.put(s, answeredBy + config.retransmitTimeout());
    }
  }

  /** The source has only retransmissions left: ask for everything still missing. */
  private void sweep() throws IOException {
    swept = true;
    int total = source.totalPackets();
    for (int g = written.nextClearBit(0); g < total; g = written.nextClearBit(g + 1)) {
      if (!buffer.containsKey(g) && !requested.get(g)) {
        request(g);
      }
    }
  }

  private void drain() {
    Held h;
    while ((h = buffer.get(nextExpected)) != null) {
      buffer.remove(nextExpected);
      write(h.packet(), h.recovered());
      nextExpected++;
    }
  }

  private void write(Packet p, boolean wasRequested) {
    LogEntry.Status status = p.sequence() < maxWritten ? LogEntry.Status.LATE
        : wasRequested ? LogEntry.Status.RETRANSMIT : LogEntry.Status.OK;
    if (status == LogEntry.Status.LATE) {
      late++;
    }
    batch.add(LogEntry.of(p, status));
    written.set(p.sequence());
    maxWritten = Math.max(maxWritten, p.sequence());
    maxKnown = Math.max(maxKnown, maxWritten);
    writtenCount++;
  }

  private void flush() throws IOException {
    if (!batch.isEmpty()) {
      out.append(batch);
      batch.clear();
      flushes++;
    }
  }

  private void finish() throws IOException {
    for (Held h : buffer.values()) {
      write(h.packet(), h.recovered());
    }
    buffer.clear();
    nextExpected = maxWritten + 1;
    flush();
    out.force();
    finished = true;
  }
}

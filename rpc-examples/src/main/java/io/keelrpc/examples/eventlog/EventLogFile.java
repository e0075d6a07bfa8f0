package io.keelrpc.examples.eventlog;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The event log on disk: reading it back ({@link #read}) and appending to it ({@link #append}).
 * The format is {@link LogEntry}'s, one line per logged packet.
 *
 * <h2>Append only</h2>
 * An {@link Appender} opens the file with {@code O_APPEND}, so every write lands at the end and
 * no byte once written is ever overwritten or truncated. A batch of lines is one {@code write}.
 *
 * <h2>Torn tail</h2>
 * A crash in the middle of a write can leave a last line without its {@code '\n'}. Opening an
 * appender on such a file first appends a single {@code '\n'}: the continuation that terminates
 * the fragment, so the next line starts on a line of its own. {@link #read} then treats the
 * fragment like any other line: kept if it parses (only the newline was missing), otherwise
 * counted in {@link Contents#malformedLines()} and skipped; its packet is simply not in the log,
 * and a resumed logger asks for it again.
 *
 * <h2>Durability</h2>
 * Lines are written to the operating system before {@link Appender#append} returns, so a kill
 * of the process (the seed's threat) loses nothing appended. What a power loss may lose depends
 * on the {@link FsyncPolicy}: {@code always} forces after every batch; {@code every(interval)}
 * forces at the first batch at least {@code interval} (measured with the injected
 * {@link Ticker}) after the last force; {@code never} forces only when the appender is closed.
 * Every policy forces on {@link Appender#close()}.
 *
 * <pre>{@code
 * try (EventLogFile.Appender out = EventLogFile.append(path, FsyncPolicy.always(), ticker)) {
 *   out.append(List.of(LogEntry.of(packet, LogEntry.Status.OK)));
 * }
 * EventLogFile.Contents c = EventLogFile.read(path);
 * }</pre>
 */
public final class EventLogFile {
  private EventLogFile() {}

  /**
   * What a log file holds.
   *
   * @param entries the valid lines, in file order
   * @param malformedLines lines that do not parse (torn fragments, or foreign content)
   * @param tornTail whether the file does not end with {@code '\n'}
   * @param size the file's length in bytes
   */
  public record Contents(List<LogEntry> entries, int malformedLines, boolean tornTail,
      long size) {
    /** Copies the entries. */
    public Contents {
      entries = List.copyOf(entries);
    }
  }

  /** Reads {@code file}; a missing file reads as empty. */
  public static Contents read(Path file) throws IOException {
    List<LogEntry> entries = new ArrayList<>();
    Scan scan = scan(file, entries::add);
    return new Contents(entries, scan.malformedLines(), scan.tornTail(), scan.size());
  }

  /**
   * What {@link #scan} found besides the entries.
   *
   * @param malformedLines lines that do not parse
   * @param tornTail whether the file does not end with {@code '\n'}
   * @param size the file's length in bytes
   */
  public record Scan(int malformedLines, boolean tornTail, long size) {}

  /**
   * Passes every valid line of {@code file} to {@code each}, in file order, without keeping
   * them; a missing file has none.
   */
  public static Scan scan(Path file, Consumer<LogEntry> each) throws IOException {
    int malformed = 0;
    long size;
    boolean torn;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      size = ch.size();
      torn = size > 0 && lastByte(ch, size) != '\n';
      // ISO-8859-1 decodes every byte, so garbage reaches parse (and fails it) instead of
      // failing the read.
      BufferedReader r = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(ch), StandardCharsets.ISO_8859_1), 1 << 16);
      String line;
      while ((line = r.readLine()) != null) {
        Optional<LogEntry> e = LogEntry.parse(line);
        if (e.isPresent()) {
          each.accept(e.get());
        } else {
          malformed++;
        }
      }
    } catch (NoSuchFileException e) {
      return new Scan(0, false, 0);
    }
    return new Scan(malformed, torn, size);
  }

  /**
   * Opens {@code file} for appending (creating it if missing), terminating a torn last line
   * with {@code '\n'} first.
   *
   * @param fsync when to force written lines to the device
   * @param ticker measures {@link FsyncPolicy#every} intervals
   */
  public static Appender append(Path file, FsyncPolicy fsync, Ticker ticker) throws IOException {
    return new Appender(file, fsync, ticker);
  }

  private static int lastByte(FileChannel ch, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    while (b.hasRemaining()) {
      if (ch.read(b, size - 1) < 0) {
        throw new IOException("file shrank while reading");
      }
    }
    return b.get(0);
  }

  /** Appends batches of lines to one log file. Not thread-safe. */
  public static final class Appender implements Closeable {
    private final FileChannel channel;
    private final FsyncPolicy fsync;
    private final Ticker ticker;
    private final boolean continuedTornTail;
    private final long sizeAtOpen;
    private long lastForceNanos;
    private boolean dirty;
    private long forces;

    private Appender(Path file, FsyncPolicy fsync, Ticker ticker) throws IOException {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      try {
        long size = channel.size();
        boolean torn = false;
        if (size > 0) {
          try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            torn = lastByte(r, size) != '\n';
          }
        }
        if (torn) {
          write(ByteBuffer.wrap(new byte[] {'\n'}));
          channel.force(false);
        }
        this.continuedTornTail = torn;
        this.sizeAtOpen = size;
        this.lastForceNanos = ticker.nanoTime();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }

    /** Whether opening found a torn last line and appended the {@code '\n'} that ends it. */
    public boolean continuedTornTail() {
      return continuedTornTail;
    }

    /** The file's length when opened, before any continuation: the bytes never touched. */
    public long sizeAtOpen() {
      return sizeAtOpen;
    }

    /** How many times the file was forced to the device. */
    public long forces() {
      return forces;
    }

    /**
     * Writes {@code entries} as one batch at the end of the file, then forces it if the policy
     * says so.
     */
    public void append(List<LogEntry> entries) throws IOException {
      if (entries.isEmpty()) {
        return;
      }
      StringBuilder b = new StringBuilder(entries.size() * 64);
      for (LogEntry e : entries) {
        b.append(e.toLine());
      }
      write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.US_ASCII)));
      dirty = true;
      switch (fsync.mode()) {
        case ALWAYS -> force();
        case INTERVAL -> {
          if (ticker.nanoTime() - lastForceNanos >= fsync.interval().toNanos()) {
            force();
          }
        }
        case NEVER -> { }
      }
    }

    /** Forces everything appended so far to the device, if anything is unforced. */
    public void force() throws IOException {
      if (dirty) {
        channel.force(false);
        dirty = false;
        forces++;
        lastForceNanos = ticker.nanoTime();
      }
    }

    /** Forces and closes. */
    @Override
    public void close() throws IOException {
      try {
        force();
      } finally {
        channel.close();
      }
    }

    private void write(ByteBuffer buf) throws IOException {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    }
  }
}

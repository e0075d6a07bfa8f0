package io.keelrpc.examples.kv.storage;

import io.keelrpc.core.time.Scheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStorage} that appends every write to one log file ({@value #LOG_FILE} in its
 * directory) and keeps the live state in memory; opening replays the log.
 *
 * <h2>File layout</h2>
 * All integers are big-endian; strings are UTF-8 preceded by their byte length.
 * <pre>
 * file    = header record*
 * header  = "KEELKV" 0x00 0x01                              8 bytes: magic and format version 1
 *
 * record  +----------------+----------------+---------------------------+
 *         | length (4 B)   | CRC32 (4 B)    | payload (length bytes)    |
 *         +----------------+----------------+---------------------------+
 *           payload bytes,   CRC32 of the
 *           1..16 MiB        payload bytes
 *
 * payload = type (1 B) version (8 B) key value ...
 *   type 1, PUT:   ... writerId                  one write: key went to version with value
 *   type 2, STATE: ... count (4 B) writerId{count}
 *                  a key's whole state, written by compaction: the writer ids of the last
 *                  count versions, oldest first (the last one produced version)
 *
 * key, value = length (4 B) + that many UTF-8 bytes
 * writerId   = length (4 B, -1 for none) + that many UTF-8 bytes
 * </pre>
 * A write is one {@code write} of one whole record at the end of the file, made while holding
 * the store's write lock, so records never interleave.
 *
 * <h2>Durability</h2>
 * {@code put} returns only after its record was written to the operating system, and under
 * {@link FsyncPolicy#always()} after it was also forced to the device (group commit: one
 * {@code fdatasync} covers every write waiting for it). Under {@link FsyncPolicy#every} a
 * background task on the injected {@link Scheduler} forces the log at that interval; under
 * {@link FsyncPolicy#never()} only {@link #close()} does. A value is visible to {@code get}
 * as soon as it is written, which under {@code always} is just before it is forced.
 *
 * <h2>Recovery</h2>
 * Opening replays the log and rebuilds each key's value, version and writer-id history. It stops
 * at the first record that is cut short (a crash mid-write), whose length is out of range, whose
 * CRC does not match or whose payload does not decode, and truncates the file there, logging a
 * warning with the bytes dropped ({@link #truncatedBytesOnOpen()}): the records before it are
 * kept and new records are appended after them. A record that decodes but breaks the version
 * sequence (a bug, not a torn write) fails the open instead.
 *
 * <h2>Compaction</h2>
 * When the log is at least {@link Builder#compactionMinBytes(long)} long and more than
 * {@link Builder#compactionRatio(double)} times the size of the live state, the put that crossed
 * the line rewrites the live state (one STATE record per key) to {@code kv.log.compact}, forces
 * it, renames it over the log atomically and forces the directory. Writers wait meanwhile. A
 * crash at any point leaves either the old log or the new one; a leftover {@code kv.log.compact}
 * is deleted on open.
 *
 * <pre>{@code
 * try (AppendOnlyFileKvStorage kv = AppendOnlyFileKvStorage.builder(Path.of("data"))
 *     .fsync(FsyncPolicy.every(Duration.ofMillis(100)))
 *     .open()) {
 *   kv.put("a", "x", 0, "w-1");
 * }
 * }</pre>
 */
public final class AppendOnlyFileKvStorage implements KvStorage {
  /** The log's file name in the store's directory. */
  public static final String LOG_FILE = "kv.log";
  /** The name compaction writes the new log under before renaming it. */
  static final String COMPACT_FILE = "kv.log.compact";

  private static final Logger log = LoggerFactory.getLogger(AppendOnlyFileKvStorage.class);

  private final Path dir;
  private final Path logPath;
  private final int writerHistory;
  private final FsyncPolicy fsync;
  private final double compactionRatio;
  private final long compactionMinBytes;
  private final Scheduler scheduler;
  private final DaemonScheduler ownedScheduler;
  private final long truncatedBytesOnOpen;

  private final ConcurrentHashMap<String, KeyState> keys = new ConcurrentHashMap<>();
  /** Guards appends, {@link #channel} and the byte counts; taken after {@link #syncLock}. */
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Serialises forces, compaction and close; taken before {@link #writeLock}. */
  private final Object syncLock = new Object();
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong compactions = new AtomicLong();

  private FileChannel channel;
  private long logBytes;
  private long liveBytes;
  /** Bytes appended since open, across compactions: a position in the stream of writes. */
  private volatile long appended;
  /** Every write up to this position of {@link #appended} has been forced. */
  private volatile long synced;
  private volatile Scheduler.Cancellable periodicSync;
  private volatile KvStorageException failure;
  private volatile boolean closed;

  private AppendOnlyFileKvStorage(Builder b) throws IOException {
    this.dir = b.dir;
    this.logPath = b.dir.resolve(LOG_FILE);
    this.writerHistory = b.writerHistory;
    this.fsync = b.fsync;
    this.compactionRatio = b.compactionRatio;
    this.compactionMinBytes = b.compactionMinBytes;
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(COMPACT_FILE));
    this.channel = FileChannel.open(logPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      this.truncatedBytesOnOpen = replay();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (fsync.mode() == FsyncPolicy.Mode.INTERVAL) {
      this.ownedScheduler = b.scheduler == null ? new DaemonScheduler("kv-log-fsync") : null;
      this.scheduler = b.scheduler != null ? b.scheduler : ownedScheduler;
      schedulePeriodicSync();
    } else {
      this.ownedScheduler = null;
      this.scheduler = null;
    }
  }

  /** A builder for a store in {@code dir} (created if missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** A store in {@code dir} with the defaults of {@link Builder}. */
  public static AppendOnlyFileKvStorage open(Path dir) throws IOException {
    return builder(dir).open();
  }

  @Override
  public Optional<StoredValue> get(String key) {
    KeyState.checkKey(key);
    checkUsable();
    return Optional.ofNullable(keys.get(key)).map(KeyState::stored);
  }

  @Override
  public long put(String key, String value, long expectedVersion, String writerId) {
    KeyState.checkPut(key, value, expectedVersion);
    KeyState next;
    long position;
    boolean compact;
    writeLock.lock();
    try {
      checkUsable();
      KeyState current = keys.get(key);
      next = KeyState.next(key, current, value, expectedVersion, writerId, writerHistory);
      ByteBuffer record = LogCodec.put(key, next.version(), value, writerId);
      int size = record.remaining();
      try {
        while (record.hasRemaining()) {
          channel.write(record);
        }
      } catch (IOException e) {
        throw fail("appending to " + logPath, e);
      }
      keys.put(key, next);
      logBytes += size;
      liveBytes += LogCodec.stateSize(key, next)
          - (current == null ? 0 : LogCodec.stateSize(key, current));
      position = appended + size;
      appended = position;
      compact = needsCompaction();
    } finally {
      writeLock.unlock();
    }
    if (fsync.mode() == FsyncPolicy.Mode.ALWAYS) {
      syncTo(position);
    }
    if (compact) {
      try {
        compactIfNeeded();
      } catch (KvStorageException e) {
        if (failure != null) {
          throw e;
        }
        log.warn("{}: compaction failed, keeping the current log", logPath, e);
      }
    }
    return next.version();
  }

  @Override
  public SortedMap<String, StoredValue> snapshot() {
    writeLock.lock();
    try {
      checkUsable();
      SortedMap<String, StoredValue> copy = new TreeMap<>();
      keys.forEach((k, s) -> copy.put(k, s.stored()));
      return Collections.unmodifiableSortedMap(copy);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Rewrites the log to hold only the live state now, whatever its size.
   *
   * @throws KvStorageException if the rewrite failed; if it failed before the atomic rename the
   *     old log is still in use and the store stays usable
   */
  public void compact() {
    synchronized (syncLock) {
      writeLock.lock();
      try {
        checkUsable();
        compactLocked();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Forces every write made so far to the device, whatever the fsync policy. */
  public void sync() {
    syncTo(appended);
  }

  /** How many times the log was forced to the device since open (for tests and monitoring). */
  public long fsyncCount() {
    return fsyncs.get();
  }

  /** How many times the log was compacted since open. */
  public long compactionCount() {
    return compactions.get();
  }

  /** The log's current size in bytes. */
  public long logBytes() {
    writeLock.lock();
    try {
      return logBytes;
    } finally {
      writeLock.unlock();
    }
  }

  /** The size the log would have right after a compaction: header and one record per key. */
  public long liveBytes() {
    writeLock.lock();
    try {
      return liveBytes;
    } finally {
      writeLock.unlock();
    }
  }

  /** Bytes of a torn or corrupt tail that opening cut off the log; 0 if it ended cleanly. */
  public long truncatedBytesOnOpen() {
    return truncatedBytesOnOpen;
  }

  /** Forces the log and closes it; later calls fail with {@link IllegalStateException}. */
  @Override
  public void close() {
    synchronized (syncLock) {
      writeLock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        Scheduler.Cancellable pending = periodicSync;
        if (pending != null) {
          pending.cancel();
        }
        try {
          if (failure == null) {
            channel.force(false);
            fsyncs.incrementAndGet();
          }
        } catch (IOException e) {
          throw new KvStorageException("forcing " + logPath + " on close", e);
        } finally {
          closeQuietly(channel);
        }
      } finally {
        writeLock.unlock();
        if (ownedScheduler != null) {
          ownedScheduler.close();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "AppendOnlyFileKvStorage{" + logPath + ", fsync=" + fsync + ", writerHistory="
        + writerHistory + "}";
  }

  /** Forces the log if the writes up to {@code position} are not yet forced. */
  private void syncTo(long position) {
    synchronized (syncLock) {
      if (synced >= position) {
        return; // someone else's force covered this write: group commit
      }
      FileChannel ch;
      long target;
      writeLock.lock();
      try {
        checkUsable();
        ch = channel;
        target = appended;
      } finally {
        writeLock.unlock();
      }
      try {
        ch.force(false);
      } catch (IOException e) {
        throw fail("forcing " + logPath, e);
      }
      fsyncs.incrementAndGet();
      synced = target;
    }
  }

  private void schedulePeriodicSync() {
    periodicSync = scheduler.schedule(this::periodicSync, fsync.interval().toNanos());
  }

  private void periodicSync() {
    if (closed || failure != null) {
      return;
    }
    try {
      long target = appended;
      if (target > synced) {
        syncTo(target);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        log.warn("{}: periodic fsync failed", logPath, e);
      }
    }
    if (!closed && failure == null) {
      schedulePeriodicSync();
    }
  }

  private boolean needsCompaction() {
    return logBytes >= compactionMinBytes && logBytes > compactionRatio * liveBytes;
  }

  private void compactIfNeeded() {
    synchronized (syncLock) {
      writeLock.lock();
      try {
        if (!closed && failure == null && needsCompaction()) {
          compactLocked();
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Holds both locks. */
  private void compactLocked() {
    Path tmp = dir.resolve(COMPACT_FILE);
    long size;
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        writeFully(out, ByteBuffer.wrap(LogCodec.MAGIC));
        for (Map.Entry<String, KeyState> e : new TreeMap<>(keys).entrySet()) {
          writeFully(out, LogCodec.state(e.getKey(), e.getValue()));
        }
        out.force(true);
        size = out.size();
      }
      Files.move(tmp, logPath, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new KvStorageException("compacting " + logPath + " (the old log stays in use)", e);
    }
    // The new file is the log now: from here a failure leaves no usable channel.
    FileChannel old = channel;
    try {
      syncDirectory(dir);
      FileChannel next = FileChannel.open(logPath, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      next.position(next.size());
      channel = next;
    } catch (IOException e) {
      throw fail("reopening " + logPath + " after compaction", e);
    } finally {
      closeQuietly(old);
    }
    long before = logBytes;
    logBytes = size;
    liveBytes = size;
    synced = appended;
    compactions.incrementAndGet();
    log.debug("{}: compacted {} -> {} bytes", logPath, before, size);
  }

  /** Reads the log from the start; returns the bytes of a bad tail it cut off. */
  private long replay() throws IOException {
    long size = channel.size();
    if (size < LogCodec.HEADER_BYTES) {
      // New, or a crash cut its header short before any record was acknowledged.
      channel.truncate(0);
      channel.position(0);
      writeFully(channel, ByteBuffer.wrap(LogCodec.MAGIC));
      channel.force(true);
      syncDirectory(dir);
      logBytes = LogCodec.HEADER_BYTES;
      liveBytes = LogCodec.HEADER_BYTES;
      return size;
    }
    LogReplay.Result replayed = new LogReplay(logPath, writerHistory).read(channel);
    long end = replayed.end();
    long truncated = size - end;
    if (truncated > 0) {
      log.warn("{}: dropping {} bytes from offset {} ({}); the {} records before it are kept",
          logPath, truncated, end, replayed.stopReason(), replayed.records());
      channel.truncate(end);
      channel.force(true);
    }
    channel.position(end);
    long live = LogCodec.HEADER_BYTES;
    for (Map.Entry<String, KeyState> e : replayed.states().entrySet()) {
      KeyState s = e.getValue().trimmed(writerHistory);
      keys.put(e.getKey(), s);
      live += LogCodec.stateSize(e.getKey(), s);
    }
    logBytes = end;
    liveBytes = live;
    return truncated;
  }

  private void checkUsable() {
    KvStorageException f = failure;
    if (f != null) {
      throw new KvStorageException(logPath + " failed earlier; reopen the store to recover", f);
    }
    if (closed) {
      throw new IllegalStateException(logPath + ": closed");
    }
  }

  /** Marks the store failed: the log's end is unknown, so every later call is refused. */
  private KvStorageException fail(String what, IOException cause) {
    KvStorageException e = new KvStorageException(what + " failed; the outcome of the write is "
        + "unknown and the store refuses further calls until reopened", cause);
    if (failure == null) {
      failure = e;
    }
    log.error("{}: {}", logPath, e.getMessage(), cause);
    return e;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** Makes a rename or a creation in {@code dir} durable, where the platform allows it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
      log.debug("cannot force directory {}: {}", dir, e.toString());
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("closing a log channel: {}", e.toString());
    }
  }

  /** Configures an {@link AppendOnlyFileKvStorage}; each setter validates at once. */
  public static final class Builder {
    /** Default {@link #compactionRatio(double)}: compact when the log exceeds 4x the live data. */
    public static final double DEFAULT_COMPACTION_RATIO = 4.0;
    /** Default {@link #compactionMinBytes(long)}: never compact a log under 1 MiB. */
    public static final long DEFAULT_COMPACTION_MIN_BYTES = 1 << 20;

    private final Path dir;
    private int writerHistory = DEFAULT_WRITER_HISTORY;
    private FsyncPolicy fsync = FsyncPolicy.always();
    private double compactionRatio = DEFAULT_COMPACTION_RATIO;
    private long compactionMinBytes = DEFAULT_COMPACTION_MIN_BYTES;
    private Scheduler scheduler;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** Writer ids remembered per key (default {@value KvStorage#DEFAULT_WRITER_HISTORY}). */
    public Builder writerHistory(int writerHistory) {
      this.writerHistory = KeyState.checkHistory(writerHistory);
      return this;
    }

    /** When writes are forced to the device (default {@link FsyncPolicy#always()}). */
    public Builder fsync(FsyncPolicy fsync) {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /**
     * Compact when the log is more than {@code ratio} times the live state (default
     * {@value #DEFAULT_COMPACTION_RATIO}).
     */
    public Builder compactionRatio(double ratio) {
      if (!(ratio > 1.0) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException("compactionRatio: " + ratio + " (expected: > 1.0)");
      }
      this.compactionRatio = ratio;
      return this;
    }

    /** Never compact a log shorter than this (default 1 MiB); 0 lets the ratio alone decide. */
    public Builder compactionMinBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("compactionMinBytes: " + bytes + " (expected: >= 0)");
      }
      this.compactionMinBytes = bytes;
      return this;
    }

    /**
     * Where the periodic fsync of {@link FsyncPolicy#every} is scheduled (default a daemon
     * thread the store starts and stops itself). Tests pass a fake clock.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Opens the store: creates the directory and the log if missing, else replays the log,
     * cutting off a torn or corrupt tail.
     *
     * @throws IOException if the directory or log cannot be read or written, the file is not a
     *     KV log, or the log is inconsistent
     */
    public AppendOnlyFileKvStorage open() throws IOException {
      return new AppendOnlyFileKvStorage(this);
    }
  }
}

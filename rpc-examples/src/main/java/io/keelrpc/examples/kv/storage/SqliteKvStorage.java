package io.keelrpc.examples.kv.storage;

import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A {@link KvStorage} in an SQLite database ({@value #DB_FILE} in its directory) through
 * sqlite-jdbc.
 *
 * <h2>Schema</h2>
 * <pre>
 * kv         (key TEXT PRIMARY KEY, value TEXT, version INTEGER, writer_id TEXT)
 * kv_writers (key TEXT, version INTEGER, writer_id TEXT, PRIMARY KEY (key, version))
 *            the writer ids of each key's last N writes, pruned on every write
 * </pre>
 * A put is one {@code BEGIN IMMEDIATE} transaction: it reads the key's row, looks its writer id
 * up in {@code kv_writers}, checks the {@link KvStorage} contract, then writes with
 * {@code INSERT ... ON CONFLICT (key) DO NOTHING} (create) or
 * {@code UPDATE kv SET ... WHERE key = ? AND version = ?} (update) — conditional statements whose
 * row count is checked, so a second process writing the same file cannot make a write lose
 * another — records the writer id and prunes the history to N.
 *
 * <h2>Settings</h2>
 * WAL journal mode (readers do not block the writer; a commit appends to the WAL), a 5 s busy
 * timeout, and {@code synchronous} following the {@link FsyncPolicy}:
 * <ul>
 *   <li>{@link FsyncPolicy#always()}: {@code FULL}, the WAL is synced at every commit;</li>
 *   <li>{@link FsyncPolicy#every}: {@code NORMAL}, and a {@code wal_checkpoint(PASSIVE)} on the
 *       injected {@link Scheduler} every interval, which syncs the WAL first;</li>
 *   <li>{@link FsyncPolicy#never()}: {@code OFF}.</li>
 * </ul>
 * Every mode writes a commit to the operating system before {@code put} returns, so a process
 * crash loses nothing acknowledged. {@link #close()} checkpoints with {@code FULL} whatever the
 * mode.
 *
 * <p>One connection writes, serialised by a lock; another serves {@code get} and
 * {@code snapshot}, each a single statement and so a consistent snapshot.
 *
 * <pre>{@code
 * try (SqliteKvStorage kv = SqliteKvStorage.builder(Path.of("data")).open()) {
 *   kv.put("a", "x", 0, "w-1");
 * }
 * }</pre>
 */
public final class SqliteKvStorage implements KvStorage {
  /** The database's file name in the store's directory. */
  public static final String DB_FILE = "kv.sqlite";
  /** How long a connection waits for another process's lock on the database. */
  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(SqliteKvStorage.class);

  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS kv (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL,"
          + " version INTEGER NOT NULL CHECK (version >= 1), writer_id TEXT) WITHOUT ROWID",
      "CREATE TABLE IF NOT EXISTS kv_writers (key TEXT NOT NULL, version INTEGER NOT NULL,"
          + " writer_id TEXT NOT NULL, PRIMARY KEY (key, version)) WITHOUT ROWID",
      "CREATE INDEX IF NOT EXISTS kv_writers_by_writer ON kv_writers (key, writer_id)",
  };
  private static final String SELECT =
      "SELECT value, version, writer_id FROM kv WHERE key = ?";
  private static final String SELECT_WRITER = "SELECT version FROM kv_writers"
      + " WHERE key = ? AND writer_id = ? AND version > ? ORDER BY version DESC LIMIT 1";
  private static final String INSERT = "INSERT INTO kv (key, value, version, writer_id)"
      + " VALUES (?, ?, 1, ?) ON CONFLICT (key) DO NOTHING";
  private static final String UPDATE = "UPDATE kv SET value = ?, version = version + 1,"
      + " writer_id = ? WHERE key = ? AND version = ?";
  private static final String INSERT_WRITER =
      "INSERT OR REPLACE INTO kv_writers (key, version, writer_id) VALUES (?, ?, ?)";
  private static final String PRUNE_WRITERS =
      "DELETE FROM kv_writers WHERE key = ? AND version <= ?";
  private static final String SELECT_ALL =
      "SELECT key, value, version, writer_id FROM kv ORDER BY key";

  private final Path dbPath;
  private final int writerHistory;
  private final FsyncPolicy fsync;
  private final Scheduler scheduler;
  private final DaemonScheduler ownedScheduler;
  private final AtomicLong checkpoints = new AtomicLong();

  private final ReentrantLock writeLock = new ReentrantLock();
  private final Connection writer;
  private final PreparedStatement select;
  private final PreparedStatement selectWriter;
  private final PreparedStatement insert;
  private final PreparedStatement update;
  private final PreparedStatement insertWriter;
  private final PreparedStatement pruneWriters;
  private final PreparedStatement begin;
  private final PreparedStatement commit;
  private final PreparedStatement rollback;

  private final ReentrantLock readLock = new ReentrantLock();
  private final Connection reader;
  private final PreparedStatement readOne;

  private volatile Scheduler.Cancellable periodicCheckpoint;
  private volatile boolean closed;

  private SqliteKvStorage(Builder b) throws IOException {
    this.dbPath = b.dir.resolve(DB_FILE);
    this.writerHistory = b.writerHistory;
    this.fsync = b.fsync;
    Files.createDirectories(b.dir);
    Connection w = null;
    Connection r = null;
    try {
      w = config(fsync).createConnection("jdbc:sqlite:" + dbPath);
      try (Statement s = w.createStatement()) {
        for (String ddl : SCHEMA) {
          s.execute(ddl);
        }
      }
      r = config(fsync).createConnection("jdbc:sqlite:" + dbPath);
      this.writer = w;
      this.reader = r;
      this.select = w.prepareStatement(SELECT);
      this.selectWriter = w.prepareStatement(SELECT_WRITER);
      this.insert = w.prepareStatement(INSERT);
      this.update = w.prepareStatement(UPDATE);
      this.insertWriter = w.prepareStatement(INSERT_WRITER);
      this.pruneWriters = w.prepareStatement(PRUNE_WRITERS);
      this.readOne = r.prepareStatement(SELECT);
      this.begin = w.prepareStatement("BEGIN IMMEDIATE");
      this.commit = w.prepareStatement("COMMIT");
      this.rollback = w.prepareStatement("ROLLBACK");
    } catch (SQLException | RuntimeException e) {
      closeQuietly(r);
      closeQuietly(w);
      throw new IOException("opening " + dbPath + ": " + e.getMessage(), e);
    }
    if (fsync.mode() == FsyncPolicy.Mode.INTERVAL) {
      this.ownedScheduler = b.scheduler == null ? new DaemonScheduler("kv-sqlite-checkpoint")
          : null;
      this.scheduler = b.scheduler != null ? b.scheduler : ownedScheduler;
      schedulePeriodicCheckpoint();
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
  public static SqliteKvStorage open(Path dir) throws IOException {
    return builder(dir).open();
  }

  /** The connection settings; transactions are begun explicitly with BEGIN IMMEDIATE. */
  private static SQLiteConfig config(FsyncPolicy fsync) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    c.setSynchronous(switch (fsync.mode()) {
      case ALWAYS -> SQLiteConfig.SynchronousMode.FULL;
      case INTERVAL -> SQLiteConfig.SynchronousMode.NORMAL;
      case NEVER -> SQLiteConfig.SynchronousMode.OFF;
    });
    c.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    return c;
  }

  @Override
  public Optional<StoredValue> get(String key) {
    KeyState.checkKey(key);
    readLock.lock();
    try {
      checkOpen();
      readOne.setString(1, key);
      try (ResultSet rs = readOne.executeQuery()) {
        return rs.next() ? Optional.of(stored(rs, 1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new KvStorageException("reading '" + key + "' from " + dbPath, e);
    } finally {
      readLock.unlock();
    }
  }

  @Override
  public long put(String key, String value, long expectedVersion, String writerId) {
    KeyState.checkPut(key, value, expectedVersion);
    writeLock.lock();
    try {
      checkOpen();
      begin.execute();
      boolean committed = false;
      try {
        long version = putInTransaction(key, value, expectedVersion, writerId);
        commit.execute();
        committed = true;
        return version;
      } finally {
        if (!committed) {
          rollbackQuietly();
        }
      }
    } catch (SQLException e) {
      throw new KvStorageException("writing '" + key + "' to " + dbPath, e);
    } finally {
      writeLock.unlock();
    }
  }

  private long putInTransaction(String key, String value, long expectedVersion, String writerId)
      throws SQLException {
    StoredValue current = selectForWrite(key);
    if (current != null && writerId != null) {
      selectWriter.setString(1, key);
      selectWriter.setString(2, writerId);
      selectWriter.setLong(3, current.version() - writerHistory);
      try (ResultSet rs = selectWriter.executeQuery()) {
        if (rs.next()) {
          throw new VersionMismatchException(key, expectedVersion, current.version(),
              current.writerId(), rs.getLong(1));
        }
      }
    }
    long next;
    if (expectedVersion == 0) {
      if (current != null) {
        throw new KeyExistsException(key, current.version());
      }
      insert.setString(1, key);
      insert.setString(2, value);
      insert.setString(3, writerId);
      if (insert.executeUpdate() != 1) {
        StoredValue now = selectForWrite(key);
        throw new KeyExistsException(key, now == null ? 0 : now.version());
      }
      next = 1;
    } else {
      if (current == null) {
        throw new KeyNotFoundException(key);
      }
      if (current.version() != expectedVersion) {
        throw new VersionMismatchException(key, expectedVersion, current.version(),
            current.writerId(), null);
      }
      update.setString(1, value);
      update.setString(2, writerId);
      update.setString(3, key);
      update.setLong(4, expectedVersion);
      if (update.executeUpdate() != 1) {
        StoredValue now = selectForWrite(key);
        if (now == null) {
          throw new KeyNotFoundException(key);
        }
        throw new VersionMismatchException(key, expectedVersion, now.version(), now.writerId(),
            null);
      }
      next = expectedVersion + 1;
    }
    if (writerId != null) {
      insertWriter.setString(1, key);
      insertWriter.setLong(2, next);
      insertWriter.setString(3, writerId);
      insertWriter.executeUpdate();
    }
    pruneWriters.setString(1, key);
    pruneWriters.setLong(2, next - writerHistory);
    pruneWriters.executeUpdate();
    return next;
  }

  private StoredValue selectForWrite(String key) throws SQLException {
    select.setString(1, key);
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? stored(rs, 1) : null;
    }
  }

  @Override
  public SortedMap<String, StoredValue> snapshot() {
    readLock.lock();
    try (Statement s = reader.createStatement()) {
      checkOpen();
      SortedMap<String, StoredValue> copy = new TreeMap<>();
      try (ResultSet rs = s.executeQuery(SELECT_ALL)) {
        while (rs.next()) {
          copy.put(rs.getString(1), stored(rs, 2));
        }
      }
      return Collections.unmodifiableSortedMap(copy);
    } catch (SQLException e) {
      throw new KvStorageException("reading every key from " + dbPath, e);
    } finally {
      readLock.unlock();
    }
  }

  /** How many periodic checkpoints (the syncs of {@link FsyncPolicy#every}) ran since open. */
  public long checkpointCount() {
    return checkpoints.get();
  }

  /**
   * Checkpoints with {@code synchronous = FULL} (so every commit reaches the device) and closes
   * both connections. Later calls fail with {@link IllegalStateException}.
   */
  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Scheduler.Cancellable pending = periodicCheckpoint;
      if (pending != null) {
        pending.cancel();
      }
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA synchronous = FULL");
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException e) {
        throw new KvStorageException("checkpointing " + dbPath + " on close", e);
      } finally {
        closeQuietly(reader);
        closeQuietly(writer);
      }
    } finally {
      readLock.unlock();
      writeLock.unlock();
      if (ownedScheduler != null) {
        ownedScheduler.close();
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteKvStorage{" + dbPath + ", fsync=" + fsync + ", writerHistory=" + writerHistory
        + "}";
  }

  private void schedulePeriodicCheckpoint() {
    periodicCheckpoint = scheduler.schedule(this::periodicCheckpoint, fsync.interval().toNanos());
  }

  private void periodicCheckpoint() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        checkpoints.incrementAndGet();
      } catch (SQLException e) {
        log.warn("{}: periodic checkpoint failed", dbPath, e);
      }
    } finally {
      writeLock.unlock();
    }
    if (!closed) {
      schedulePeriodicCheckpoint();
    }
  }

  private static StoredValue stored(ResultSet rs, int first) throws SQLException {
    return new StoredValue(rs.getString(first), rs.getLong(first + 1), rs.getString(first + 2));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(dbPath + ": closed");
    }
  }

  private void rollbackQuietly() {
    try {
      rollback.execute();
    } catch (SQLException e) {
      log.warn("{}: rollback failed", dbPath, e);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      log.debug("closing an SQLite connection: {}", e.toString());
    }
  }

  /** Configures a {@link SqliteKvStorage}; each setter validates at once. */
  public static final class Builder {
    private final Path dir;
    private int writerHistory = DEFAULT_WRITER_HISTORY;
    private FsyncPolicy fsync = FsyncPolicy.always();
    private Scheduler scheduler;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** Writer ids remembered per key (default {@value KvStorage#DEFAULT_WRITER_HISTORY}). */
    public Builder writerHistory(int writerHistory) {
      this.writerHistory = KeyState.checkHistory(writerHistory);
      return this;
    }

    /** The {@code synchronous} level and checkpoints (default {@link FsyncPolicy#always()}). */
    public Builder fsync(FsyncPolicy fsync) {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /**
     * Where the periodic checkpoint of {@link FsyncPolicy#every} is scheduled (default a daemon
     * thread the store starts and stops itself).
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Opens (or creates) the database and its tables.
     *
     * @throws IOException if the directory cannot be created or SQLite cannot open the database
     */
    public SqliteKvStorage open() throws IOException {
      return new SqliteKvStorage(this);
    }
  }
}

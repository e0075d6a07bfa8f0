package io.keelrpc.examples.kv;

import io.keelrpc.examples.kv.storage.AppendOnlyFileKvStorage;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import io.keelrpc.examples.kv.storage.InMemoryKvStorage;
import io.keelrpc.examples.kv.storage.KvStorage;
import io.keelrpc.examples.kv.storage.SqliteKvStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@link KvStorage} backends by name, as {@code kv-server --backend} and configuration files
 * spell them: {@code memory}, {@code file}, {@code sqlite}.
 *
 * <pre>{@code
 * KvStorage s = KvBackend.parse("file").open(Path.of("data"), FsyncPolicy.always(), 16);
 * }</pre>
 */
public enum KvBackend {
  /** {@link InMemoryKvStorage}: nothing survives the process. */
  MEMORY,
  /** {@link AppendOnlyFileKvStorage}: an append-only log with CRCs. */
  FILE,
  /** {@link SqliteKvStorage}: an SQLite database in WAL mode. */
  SQLITE;

  /**
   * The backend named {@code name}, in any case.
   *
   * @throws IllegalArgumentException if there is no such backend
   */
  public static KvBackend parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("backend: \"" + name
          + "\" (expected: memory, file or sqlite)", e);
    }
  }

  /** The name as written on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Opens a store of this kind.
   *
   * @param dataDir where a durable store keeps its files (ignored by {@link #MEMORY})
   * @param fsync when a durable store forces its writes (ignored by {@link #MEMORY})
   * @param writerHistory writer ids remembered per key
   * @throws IOException if a durable store cannot be opened
   */
  public KvStorage open(Path dataDir, FsyncPolicy fsync, int writerHistory) throws IOException {
    return switch (this) {
      case MEMORY -> new InMemoryKvStorage(writerHistory);
      case FILE -> AppendOnlyFileKvStorage.builder(dataDir).fsync(fsync)
          .writerHistory(writerHistory).open();
      case SQLITE -> SqliteKvStorage.builder(dataDir).fsync(fsync)
          .writerHistory(writerHistory).open();
    };
  }
}

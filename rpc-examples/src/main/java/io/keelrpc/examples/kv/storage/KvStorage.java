package io.keelrpc.examples.kv.storage;

import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A versioned key-value store: the storage behind the KV service. Every write names the version
 * it expects, and a store remembers, per key, the writer ids of its last few writes so that a
 * client retrying an ambiguous write learns that it was already applied.
 *
 * <p>Implementations are thread-safe: server worker threads call them concurrently.
 *
 * <h2>The {@code put} contract</h2>
 * {@link #put put(key, value, expectedVersion, writerId)} checks, in this order:
 * <ol>
 *   <li>if {@code writerId} is among the writer ids the store remembers for {@code key} (those of
 *       its last {@link #DEFAULT_WRITER_HISTORY} writes, or the configured number), it throws
 *       {@link VersionMismatchException} whose {@code appliedVersion} is the version that writer
 *       id produced — the write is not applied again;</li>
 *   <li>{@code expectedVersion == 0} on an existing key: {@link KeyExistsException};</li>
 *   <li>{@code expectedVersion > 0} on a missing key: {@link KeyNotFoundException};</li>
 *   <li>{@code expectedVersion} differs from the key's version: {@link VersionMismatchException}
 *       with the actual version, the last writer's id and no {@code appliedVersion};</li>
 *   <li>otherwise it writes; the new version is {@code expectedVersion + 1} (so a create makes
 *       version 1).</li>
 * </ol>
 * A key's versions never go backwards, and no key is ever deleted.
 *
 * <pre>{@code
 * try (KvStorage kv = new InMemoryKvStorage()) {
 *   long v1 = kv.put("a", "x", 0, "w-1");      // 1: created
 *   long v2 = kv.put("a", "y", v1, "w-2");     // 2
 *   kv.put("a", "z", v1, "w-3");               // VersionMismatchException(actual 2, writer w-2)
 *   kv.put("a", "y", v1, "w-2");               // VersionMismatchException(appliedVersion 2)
 *   kv.get("a");                               // Optional[StoredValue[value=y, version=2, ...]]
 * }
 * }</pre>
 */
public interface KvStorage extends AutoCloseable {
  /** How many recent writes per key a store remembers the writer ids of, unless configured. */
  int DEFAULT_WRITER_HISTORY = 16;

  /**
   * The key's value, version and last writer id, or empty if the key was never written.
   *
   * @throws KvStorageException if the medium failed
   */
  Optional<StoredValue> get(String key);

  /**
   * Writes {@code value} if the key is at {@code expectedVersion} ({@code 0}: create); returns the
   * new version. See the class comment for the order of the checks.
   *
   * @param key the key; non-empty
   * @param value the value; non-null
   * @param expectedVersion the version the caller read, {@code 0} to create; {@code >= 0}
   * @param writerId unique id of this logical write, reused by every retry of it; {@code null}
   *     for a write that cannot be retried ambiguously (it is then not remembered)
   * @throws VersionMismatchException if the writer id was already applied, or the version differs
   * @throws KeyExistsException if a create found the key
   * @throws KeyNotFoundException if an update found no key
   * @throws KvStorageException if the medium failed; the outcome is then unknown
   * @throws IllegalArgumentException if the key is empty or the expected version negative
   */
  long put(String key, String value, long expectedVersion, String writerId);

  /**
   * Every key's current state, sorted by key: an unmodifiable copy. The durable backends copy one
   * moment's state; the in-memory one copies key by key, so a write concurrent with the call may
   * or may not be in it.
   *
   * @throws KvStorageException if the medium failed
   */
  SortedMap<String, StoredValue> snapshot();

  /**
   * Makes everything written durable (whatever the fsync policy) and releases the store's files
   * and threads. Later calls fail; calling it again does nothing.
   *
   * @throws KvStorageException if the final sync failed
   */
  @Override
  void close();
}

package io.keelrpc.client.occ;

import java.util.concurrent.CompletionStage;

/**
 * A key-value store with optimistic concurrency: every write names the version it expects.
 *
 * <p>Implementations adapt a concrete remote store (for example a Keel service) to the OCC
 * retry engine in this package, {@link OccUpdater}. A failed write completes exceptionally with
 * {@link io.keelrpc.core.occ.VersionMismatchException},
 * {@link io.keelrpc.core.occ.KeyExistsException} or
 * {@link io.keelrpc.core.occ.KeyNotFoundException} when the store refused it (an
 * {@link io.keelrpc.core.ApplicationException} with the matching code is fine too: the engine
 * types it with {@link io.keelrpc.core.occ.OccErrors#typed(Throwable)}), and with any other
 * exception (usually a {@link io.keelrpc.core.KeelException}) when the outcome is unknown.
 *
 * <h2>The store contract</h2>
 *
 * <p>An existing key has a version {@code > 0} that grows with every applied write; version
 * {@code 0} means "absent". The store records, per key, the writer id of each applied
 * write for as long as it can (at least the last one). A write {@code (key, value,
 * expectedVersion, writerId)} is decided by the first rule that matches:
 *
 * <ol>
 *   <li>The store remembers {@code writerId} applied to {@code key}: refuse with
 *       {@code VERSION_MISMATCH(expectedVersion, actualVersion, writerId = the last writer,
 *       appliedVersion = the version that writerId produced)}. This is checked first, so a retry
 *       of an applied write is never applied again, whatever else happened since.
 *   <li>{@code expectedVersion == 0} and the key exists: refuse with
 *       {@code KEY_EXISTS(actualVersion)}.
 *   <li>{@code expectedVersion > 0} and the key does not exist: refuse with
 *       {@code KEY_NOT_FOUND}.
 *   <li>{@code expectedVersion != actualVersion}: refuse with
 *       {@code VERSION_MISMATCH(expectedVersion, actualVersion, writerId = the last writer,
 *       appliedVersion = null)}.
 *   <li>Otherwise apply: store the value at version {@code actualVersion + 1}, record
 *       {@code writerId} as its writer, and answer the new version.
 * </ol>
 *
 * <p>The check and the apply are atomic per key. Writer ids must be remembered at least as long
 * as a client may retry a write (its deadline); a store that forgets them sooner (for example
 * keeps only the last writer) is still correct as long as no other write to the key lands between
 * an applied write and its retry — see {@code docs/occ.md}.
 *
 * @param <V> the value type
 */
public interface VersionedStore<V> {

  /**
   * Reads {@code key}. A key that does not exist reads as {@link Versioned#absent()} (a
   * {@link io.keelrpc.core.occ.KeyNotFoundException} is accepted as absent too).
   */
  CompletionStage<Versioned<V>> read(String key);

  /**
   * Writes {@code value} if {@code key} is at {@code expectedVersion}; {@code 0} means create.
   * Completes with the new version; see the store contract above for the refusals.
   *
   * @param writerId unique id of this logical write, reused by every retry of it; the store
   *     records it so that a retry can learn that an earlier, ambiguous attempt was applied
   */
  CompletionStage<Long> write(String key, V value, long expectedVersion, String writerId);
}

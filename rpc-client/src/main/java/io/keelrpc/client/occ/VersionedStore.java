package io.keelrpc.client.occ;

import java.util.concurrent.CompletionStage;

/**
 * A key-value store with optimistic concurrency: every write names the version it expects.
 *
 * <p>Implementations adapt a concrete remote store (for example a Keel service) to the OCC
 * retry engine in this package. A failed write completes exceptionally with
 * {@link io.keelrpc.core.occ.VersionMismatchException},
 * {@link io.keelrpc.core.occ.KeyExistsException} or
 * {@link io.keelrpc.core.occ.KeyNotFoundException} when the store refused it, and with any other
 * exception (usually a {@link io.keelrpc.core.KeelException}) when the outcome is unknown.
 *
 * @param <V> the value type
 */
public interface VersionedStore<V> {

  /**
   * Reads {@code key}. A key that does not exist reads as {@link Versioned#absent()}.
   */
  CompletionStage<Versioned<V>> read(String key);

  /**
   * Writes {@code value} if {@code key} is at {@code expectedVersion}; {@code 0} means create.
   * Completes with the new version.
   *
   * @param writerId unique id of this logical write, reused by every retry of it; the store
   *     records it so that a retry can learn that an earlier, ambiguous attempt was applied
   */
  CompletionStage<Long> write(String key, V value, long expectedVersion, String writerId);
}

/**
 * Optimistic-concurrency updates against versioned stores: {@link io.keelrpc.client.occ.OccUpdater}
 * reads a value with its version, computes the new value and writes it naming the version it
 * read, retrying conflicts without limit and network failures a limited number of times, and
 * recognising by writer id when a write whose answer was lost was applied after all.
 *
 * <p>{@link io.keelrpc.client.occ.VersionedStore} is the small interface a concrete store (for
 * example a Keel service) is adapted to; its Javadoc states the contract the engine relies on.
 * See {@code docs/occ.md}.
 */
package io.keelrpc.client.occ;

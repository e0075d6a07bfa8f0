package io.keelrpc.client.occ;

import java.util.concurrent.CompletableFuture;

/**
 * One logical OCC update in progress, as started by
 * {@link OccUpdater#start(VersionedStore, String, java.util.function.UnaryOperator,
 * io.keelrpc.core.Deadline)}.
 *
 * <p>Cancel it by cancelling {@link #result()}: the update stops at its next step and issues no
 * further store calls (a call already under way is not recalled; its answer is ignored).
 *
 * <pre>{@code
 * OccUpdate<Long> u = updater.start(store, "visits", n -> n == null ? 1L : n + 1, deadline);
 * ...
 * u.result().cancel(false);               // e.g. on Ctrl+C
 * boolean countIt = u.result().isDone() && !u.result().isCompletedExceptionally();
 * boolean maybe = u.mayHaveApplied();     // true: a write of it may be in the store anyway
 * }</pre>
 *
 * @param <V> the value type
 */
public interface OccUpdate<V> {

  /** The writer id that every write of this update carries. */
  String writerId();

  /**
   * Completes with the {@link OccResult} once a write of this update is known to be applied, or
   * exceptionally: {@link io.keelrpc.core.DeadlineExceededException} when the deadline passes,
   * {@link java.util.concurrent.CancellationException} when cancelled, the last failure when
   * network retries are exhausted, or the first failure that is not retried. Callbacks may run
   * on any thread: the scheduler's or the one that completed a store call.
   */
  CompletableFuture<OccResult<V>> result();

  /**
   * Whether the store may hold a write of this update. True once it succeeded; after a failure or
   * cancellation, true if a write was sent whose outcome is unknown (its answer was lost or is
   * still under way, or it failed with something other than a store's refusal); false if every
   * write sent was refused or none was sent. Callers that count applied updates (for example to
   * check that a counter equals the number of increments) count a failed update with this flag
   * as "maybe".
   */
  boolean mayHaveApplied();
}

package io.keelrpc.server.idempotency;

import io.keelrpc.core.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the server records which idempotency keys were executed and what they answered, so a
 * retried call is answered from the record instead of running again.
 *
 * <p>Protocol, for each request with a key: {@link #claim} it; if the result is {@code null} this
 * caller owns the key and must run the call and then {@link #complete} it (it ran) or
 * {@link #release} it (it was rejected without running). Otherwise the returned entry is the
 * earlier execution: compare its fingerprint, then answer from its outcome (which may still be
 * pending while the first execution runs). Implementations must make {@code claim} atomic: two
 * concurrent claims of one key give one owner. The default is
 * {@link InMemoryIdempotencyStore}; a shared store lets several server instances deduplicate
 * together.
 */
public interface IdempotencyStore {
  /**
   * Claims {@code key} for execution.
   *
   * @param fingerprint a hash of the method and params, to detect key reuse
   * @return {@code null} if the caller now owns the key, else the existing entry
   */
  Entry claim(String key, long fingerprint);

  /**
   * Claims {@code key} without blocking the calling thread; the server calls this, on its I/O
   * threads, instead of {@link #claim}. The default completes at once with {@link #claim}'s answer
   * (or fails with what it threw); a store that asks a remote system (Redis) overrides it. The
   * server continues the call on the thread that completes the stage (inline and async handlers
   * run there; blocking handlers go to the server's workers as usual). A stage failed with an
   * {@link io.keelrpc.core.RpcException} answers the call with that error, any other failure with
   * UNAVAILABLE; either way the call does not run. A store that wraps another must forward this
   * method too, or the wrapped store's remote claims block the I/O thread.
   *
   * @param fingerprint a hash of the method and params, to detect key reuse
   * @param deadline the claiming request's deadline, or {@code null}: a store that polls for a
   *     pending outcome may stop waiting then
   * @return a stage completing with {@code null} if the caller now owns the key, else the
   *     existing entry
   */
  default CompletionStage<Entry> claimAsync(String key, long fingerprint,
      Deadline deadline) {
    try {
      return CompletableFuture.completedFuture(claim(key, fingerprint));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Records the outcome of the owner's execution and wakes the duplicates waiting for it. */
  void complete(String key, Outcome outcome);

  /**
   * Forgets a claim whose call was rejected without running; duplicates already waiting get
   * {@code rejection}, later ones may run the call.
   */
  void release(String key, Outcome rejection);

  /** An earlier claim of a key. */
  interface Entry {
    /** The fingerprint the key was claimed with. */
    long fingerprint();

    /** The outcome, complete once the owner completed or released the key. */
    CompletionStage<Outcome> outcome();
  }
}

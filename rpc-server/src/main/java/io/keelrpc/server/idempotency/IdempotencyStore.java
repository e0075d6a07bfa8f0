package io.keelrpc.server.idempotency;

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

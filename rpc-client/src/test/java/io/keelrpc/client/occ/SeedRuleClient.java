package io.keelrpc.client.occ;

import io.keelrpc.core.TransportException;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.OccErrors;
import io.keelrpc.core.occ.VersionMismatchException;
import java.util.concurrent.CompletionException;

/**
 * Test-only: the seed's client loop (read, increment, write; on a network failure send the same
 * write again; on VERSION_MISMATCH re-read; KEY_EXISTS switches to update, KEY_NOT_FOUND to
 * create), with its recovery decision made by a {@link RecoveryRule}. It exists to show, against
 * the same scripted store as the engine, what the seed's rule does with a counter.
 */
final class SeedRuleClient {
  /** Decides whether a VERSION_MISMATCH means "my earlier attempt was applied". */
  @FunctionalInterface
  interface RecoveryRule {
    boolean claimsApplied(VersionMismatchException e, boolean retryAfterNetworkFailure,
        String myWriterId);
  }

  /**
   * The seed's rule: "on a retry, VERSION_MISMATCH with actual version != expected means my write
   * succeeded".
   */
  static final RecoveryRule SEED_RULE =
      (e, retry, me) -> retry && e.actualVersion() != e.expectedVersion();

  /** A rule that trusts only the last writer: "the current version is mine". */
  static final RecoveryRule LAST_WRITER_RULE = (e, retry, me) -> me.equals(e.writerId());

  private SeedRuleClient() {}

  /**
   * Increments {@code key} once as {@code writerId}; returns normally when the client believes
   * the increment is done (the "acknowledged" increment a scenario runner would count).
   */
  static void increment(VersionedStore<Long> store, String key, String writerId,
      RecoveryRule rule) {
    Versioned<Long> current = store.read(key).toCompletableFuture().join();
    boolean retry = false;
    for (int calls = 0; calls < 100; calls++) {
      long next = current.exists() ? current.value() + 1 : 1;
      try {
        store.write(key, next, current.version(), writerId).toCompletableFuture().join();
        return;
      } catch (CompletionException ce) {
        Throwable f = OccErrors.typed(ce.getCause());
        if (f instanceof TransportException) {
          retry = true; // send the same write again
        } else if (f instanceof VersionMismatchException vm) {
          if (rule.claimsApplied(vm, retry, writerId)) {
            return;
          }
          retry = false;
          current = store.read(key).toCompletableFuture().join();
        } else if (f instanceof KeyExistsException) {
          retry = false;
          current = store.read(key).toCompletableFuture().join();
        } else if (f instanceof KeyNotFoundException) {
          retry = false;
          current = Versioned.absent();
        } else {
          throw ce;
        }
      }
    }
    throw new AssertionError("the seed client did not finish in 100 calls");
  }
}

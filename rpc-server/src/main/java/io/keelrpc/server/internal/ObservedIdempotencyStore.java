package io.keelrpc.server.internal;

import io.keelrpc.core.Deadline;
import io.keelrpc.server.ServerListener.IdempotencyResult;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.util.concurrent.CompletionStage;

/**
 * An {@link IdempotencyStore} that reports what each claim ({@link #claim} or
 * {@link #claimAsync}) found to a {@link ServerObserver}, and otherwise delegates: {@code null}
 * (the caller owns the key) is a miss, an entry with another fingerprint a conflict, an entry
 * whose outcome is complete a hit, and one still pending a join. Installed by the server only
 * when a listener is set.
 */
final class ObservedIdempotencyStore implements IdempotencyStore {
  private final IdempotencyStore delegate;
  private final ServerObserver observer;

  ObservedIdempotencyStore(IdempotencyStore delegate, ServerObserver observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  @Override
  public Entry claim(String key, long fingerprint) {
    Entry earlier = delegate.claim(key, fingerprint);
    observer.idempotency(classify(earlier, fingerprint));
    return earlier;
  }

  @Override
  public CompletionStage<Entry> claimAsync(String key, long fingerprint, Deadline deadline) {
    return delegate.claimAsync(key, fingerprint, deadline).thenApply(earlier -> {
      observer.idempotency(classify(earlier, fingerprint));
      return earlier;
    });
  }

  /** What a claim's answer means for metrics. */
  static IdempotencyResult classify(Entry earlier, long fingerprint) {
    if (earlier == null) {
      return IdempotencyResult.MISS;
    }
    if (earlier.fingerprint() != fingerprint) {
      return IdempotencyResult.CONFLICT;
    }
    boolean done;
    try {
      done = earlier.outcome().toCompletableFuture().isDone();
    } catch (UnsupportedOperationException e) {
      done = false; // a stage that cannot tell: counted as waiting
    }
    return done ? IdempotencyResult.HIT : IdempotencyResult.JOIN;
  }

  @Override
  public void complete(String key, Outcome outcome) {
    delegate.complete(key, outcome);
  }

  @Override
  public void release(String key, Outcome rejection) {
    delegate.release(key, rejection);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}

package io.keelrpc.server;

import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link IdempotencyStore} that delegates and counts claims, so a test can tell when the
 * server has dispatched a request (the server claims a key after it computed the deadline and
 * before admission).
 */
public final class ObservedStore implements IdempotencyStore {
  private final IdempotencyStore delegate;
  private final AtomicInteger claims = new AtomicInteger();

  public ObservedStore(IdempotencyStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Entry claim(String key, long fingerprint) {
    Entry e = delegate.claim(key, fingerprint);
    claims.incrementAndGet();
    return e;
  }

  @Override
  public void complete(String key, Outcome outcome) {
    delegate.complete(key, outcome);
  }

  @Override
  public void release(String key, Outcome rejection) {
    delegate.release(key, rejection);
  }

  /** How many claims the server made. */
  public int claims() {
    return claims.get();
  }
}

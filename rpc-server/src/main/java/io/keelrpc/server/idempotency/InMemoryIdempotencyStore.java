package io.keelrpc.server.idempotency;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.internal.OutcomeLog;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link IdempotencyStore}: completed outcomes kept in completion order for a
 * time-to-live counted from completion, bounded by memory (and optionally by a number of entries);
 * executions still running in a separate map that is never evicted (it is bounded by the server's
 * admission limit), so a duplicate always joins a running execution.
 *
 * <p>Outcomes are written once and all live for the same TTL, so they expire in the order they
 * were written: the store is a first-in-first-out log with an index, and both expiry and the
 * bounds remove from the head of the log — the oldest outcome first, never a fresh one (a general
 * cache's admission policy may drop a new, never-read entry, which is exactly the one a retry is
 * about to ask for). Expired outcomes are never served; they are purged as new ones are written.
 *
 * <p>The log holds outcomes as bytes in reused 64 KiB chunks, indexed by two primitive arrays, not
 * as objects: an outcome outlives several young garbage collections, and as objects every one of
 * them was copied by each collection until promoted, which halved a busy server's throughput.
 * Completed outcomes sit behind one lock whose critical sections are an index probe and a copy.
 *
 * <p>The memory bound counts each entry as its key, its serialised result and
 * {@value #ENTRY_OVERHEAD_BYTES} bytes of bookkeeping. Under load above
 * {@code maxBytes / (entry size x TTL)} calls per second, outcomes are kept for less than the TTL.
 *
 * <pre>{@code
 * IdempotencyStore store = InMemoryIdempotencyStore.builder()
 *     .ttl(Duration.ofSeconds(10))
 *     .maxBytes(64L << 20)
 *     .build();
 * }</pre>
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
  /** Default {@link Builder#ttl(Duration)}: 10 s. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  /** Default {@link Builder#maxBytes(long)}: 64 MiB of cached outcomes. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  /**
   * Bytes counted per entry besides its key and result, for the memory bound: the record's
   * header and its share of the index.
   */
  public static final int ENTRY_OVERHEAD_BYTES = 64;

  private final long ttlNanos;
  private final long maxBytes;
  private final long maxEntries;
  private final Ticker ticker;
  /** Completed outcomes; guarded by itself. */
  private final OutcomeLog log = new OutcomeLog();
  private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();

  private InMemoryIdempotencyStore(Builder b) {
    this.ttlNanos = b.ttl.toNanos();
    this.maxBytes = b.maxBytes;
    this.maxEntries = b.maxEntries;
    this.ticker = b.ticker;
  }

  /** A builder with the defaults (10 s TTL, 64 MiB, system ticker). */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Entry claim(String key, long fingerprint) {
    Entry[] found = new Entry[1];
    running.compute(key, (k, cur) -> {
      if (cur != null) {
        cur.join(); // under the key's lock, so complete() cannot miss this waiter
        found[0] = cur;
        return cur;
      }
      byte[] keyBytes = OutcomeLog.keyBytes(k);
      Entry done = completed(keyBytes);
      if (done != null) {
        found[0] = done;
        return null;
      }
      return new Running(fingerprint, keyBytes);
    });
    return found[0];
  }

  private Entry completed(byte[] keyBytes) {
    OutcomeLog.Found f;
    synchronized (log) {
      if (log.size() == 0) {
        return null;
      }
      f = log.find(keyBytes);
    }
    if (f == null || f.expiresAt() - ticker.nanoTime() <= 0) {
      return null;
    }
    return new Done(f.fingerprint(), new Outcome(f.error(), f.json()));
  }

  @Override
  public void complete(String key, Outcome outcome) {
    CompletableFuture<Outcome>[] waiters = waitersHolder();
    long now = ticker.nanoTime();
    long expiresAt = now + ttlNanos;
    running.compute(key, (k, cur) -> {
      waiters[0] = cur == null ? null : cur.waiters;
      byte[] keyBytes = cur == null ? OutcomeLog.keyBytes(k) : cur.keyBytes;
      long fingerprint = cur == null ? 0 : cur.fingerprint;
      // Appended under the key's lock in running, so a claim sees either the running execution
      // or its outcome, never neither.
      synchronized (log) {
        log.append(keyBytes, fingerprint, expiresAt, outcome.error(), outcome.json());
        purge(now);
      }
      return null;
    });
    if (waiters[0] != null) {
      waiters[0].complete(outcome);
    }
  }

  /** Removes expired outcomes and, while a bound is exceeded, the oldest ones. Holds the lock. */
  private void purge(long now) {
    while (log.size() > 0
        && (log.oldestExpiresAt() - now <= 0
            || log.size() > maxEntries
            || log.payloadBytes() + (long) log.size() * ENTRY_OVERHEAD_BYTES > maxBytes)) {
      log.removeOldest();
    }
  }

  @Override
  public void release(String key, Outcome rejection) {
    CompletableFuture<Outcome>[] waiters = waitersHolder();
    running.computeIfPresent(key, (k, cur) -> {
      waiters[0] = cur.waiters;
      return null;
    });
    if (waiters[0] != null) {
      waiters[0].complete(rejection);
    }
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Outcome>[] waitersHolder() {
    return (CompletableFuture<Outcome>[]) new CompletableFuture<?>[1];
  }

  /** Completed outcomes currently held, after purging the expired ones. */
  public long completedEntries() {
    long now = ticker.nanoTime();
    synchronized (log) {
      purge(now);
      return log.size();
    }
  }

  /** Executions currently running. */
  public int runningEntries() {
    return running.size();
  }

  /**
   * An execution in progress. Its future exists only once a duplicate joins (most calls are never
   * duplicated); it is created and read under the key's lock in {@link #running}.
   */
  private static final class Running implements Entry {
    final long fingerprint;
    final byte[] keyBytes;
    CompletableFuture<Outcome> waiters;

    Running(long fingerprint, byte[] keyBytes) {
      this.fingerprint = fingerprint;
      this.keyBytes = keyBytes;
    }

    void join() {
      if (waiters == null) {
        waiters = new CompletableFuture<>();
      }
    }

    @Override
    public long fingerprint() {
      return fingerprint;
    }

    @Override
    public CompletionStage<Outcome> outcome() {
      return waiters;
    }
  }

  /** A completed outcome read back from the log. */
  private record Done(long fingerprint, Outcome result) implements Entry {
    @Override
    public CompletionStage<Outcome> outcome() {
      return CompletableFuture.completedFuture(result);
    }
  }

  /** Builds an {@link InMemoryIdempotencyStore}. */
  public static final class Builder {
    private Duration ttl = DEFAULT_TTL;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private long maxEntries = Long.MAX_VALUE;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** How long a completed outcome is kept, counted from completion (default 10 s). */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * The most memory completed outcomes may take, counting each as its key, its result and
     * {@value #ENTRY_OVERHEAD_BYTES} bytes (default 64 MiB); the oldest go first.
     */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes < 1) {
        throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
      }
      this.maxBytes = maxBytes;
      return this;
    }

    /**
     * The most completed outcomes kept, in addition to the memory bound (default: no limit on the
     * count); the oldest go first.
     */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** The time source for expiry (default the system ticker); tests pass a fake. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The store. */
    public InMemoryIdempotencyStore build() {
      return new InMemoryIdempotencyStore(this);
    }
  }
}

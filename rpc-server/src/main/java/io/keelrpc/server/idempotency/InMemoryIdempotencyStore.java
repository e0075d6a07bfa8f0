package io.keelrpc.server.idempotency;

import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link IdempotencyStore}: completed outcomes kept in completion order for a
 * time-to-live counted from completion, bounded by memory (and optionally by a number of entries);
 * executions still running in a separate map that is never evicted (it is bounded by the server's
 * admission limit), so a duplicate always joins a running execution.
 *
 * <p>Outcomes are written once and all live for the same TTL, so they expire in the order they
 * were written: the store is a hash map plus a first-in-first-out log, and both expiry and the
 * bounds remove from the head of the log — the oldest outcome first, never a fresh one (a general
 * cache's admission policy may drop a new, never-read entry, which is exactly the one a retry is
 * about to ask for). Expired outcomes are never served; they are purged as new ones are written.
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
  /** Bytes of bookkeeping counted per entry besides its key and result, for the memory bound. */
  public static final int ENTRY_OVERHEAD_BYTES = 200;

  private final long ttlNanos;
  private final long maxBytes;
  private final long maxEntries;
  private final Ticker ticker;
  private final ConcurrentHashMap<String, Done> completed = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Done> log = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicBoolean purging = new AtomicBoolean();
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
      Done done = completed.get(k);
      if (done != null && done.expiresAt - ticker.nanoTime() > 0) {
        found[0] = done;
        return null;
      }
      return new Running(fingerprint);
    });
    return found[0];
  }

  @Override
  public void complete(String key, Outcome outcome) {
    CompletableFuture<Outcome>[] waiters = waitersHolder();
    Done[] stored = new Done[1];
    long expiresAt = ticker.nanoTime() + ttlNanos;
    int weight = ENTRY_OVERHEAD_BYTES + key.length() + outcome.json().length;
    running.compute(key, (k, cur) -> {
      waiters[0] = cur == null ? null : cur.waiters;
      stored[0] = new Done(k, cur == null ? 0 : cur.fingerprint, outcome, expiresAt, weight);
      completed.put(k, stored[0]);
      return null;
    });
    log.offer(stored[0]);
    bytes.addAndGet(weight);
    entries.incrementAndGet();
    purge();
    if (waiters[0] != null) {
      waiters[0].complete(outcome);
    }
  }

  /**
   * Removes expired outcomes and, while a bound is exceeded, the oldest ones. One thread purges at
   * a time (the others return at once and leave it to that one), so the head it looked at is the
   * head it removes.
   */
  private void purge() {
    if (!purging.compareAndSet(false, true)) {
      return;
    }
    try {
      long now = ticker.nanoTime();
      Done head;
      while ((head = log.peek()) != null
          && (head.expiresAt - now <= 0 || bytes.get() > maxBytes || entries.get() > maxEntries)) {
        log.poll();
        completed.remove(head.key, head);
        bytes.addAndGet(-head.weight);
        entries.decrementAndGet();
      }
    } finally {
      purging.set(false);
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
    purge();
    return entries.get();
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
    CompletableFuture<Outcome> waiters;

    Running(long fingerprint) {
      this.fingerprint = fingerprint;
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

  /** A completed outcome: one object in the map and in the log. */
  private static final class Done implements Entry {
    final String key;
    final long fingerprint;
    final boolean error;
    final byte[] json;
    final long expiresAt;
    final int weight;

    Done(String key, long fingerprint, Outcome result, long expiresAt, int weight) {
      this.key = key;
      this.fingerprint = fingerprint;
      this.error = result.error(); // the outcome's parts, not the outcome: 24 bytes less
      this.json = result.json();
      this.expiresAt = expiresAt;
      this.weight = weight;
    }

    @Override
    public long fingerprint() {
      return fingerprint;
    }

    @Override
    public CompletionStage<Outcome> outcome() {
      return CompletableFuture.completedFuture(new Outcome(error, json));
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

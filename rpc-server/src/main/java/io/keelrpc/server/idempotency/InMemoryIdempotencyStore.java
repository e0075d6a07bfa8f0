package io.keelrpc.server.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link IdempotencyStore}: completed outcomes in a Caffeine cache bounded by memory
 * (or, if configured, by a number of entries) and by a time-to-live counted from completion;
 * executions still running in a separate map that is never evicted (it is bounded by the server's
 * admission limit), so a duplicate always joins a running execution.
 *
 * <p>The memory bound counts each entry as its key, its serialised result and
 * {@value #ENTRY_OVERHEAD_BYTES} bytes of bookkeeping. When the bound is reached the oldest,
 * least used outcomes go first: under load above {@code maxBytes / (entry size x TTL)} calls per
 * second, outcomes are kept for less than the TTL.
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

  private final Cache<String, Done> completed;
  private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();

  private InMemoryIdempotencyStore(Builder b) {
    Caffeine<Object, Object> caffeine = Caffeine.newBuilder();
    if (b.maxEntries > 0) {
      caffeine.maximumSize(b.maxEntries);
    } else {
      caffeine.maximumWeight(b.maxBytes).weigher((String key, Done done) ->
          (int) Math.min(Integer.MAX_VALUE,
              (long) ENTRY_OVERHEAD_BYTES + key.length() + done.result().json().length));
    }
    this.completed = caffeine
        .expireAfterWrite(b.ttl)
        .ticker(b.ticker::nanoTime)
        .executor(Runnable::run)
        .build();
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
      Done done = completed.getIfPresent(k);
      if (done != null) {
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
    running.compute(key, (k, cur) -> {
      waiters[0] = cur == null ? null : cur.waiters;
      completed.put(k, new Done(cur == null ? 0 : cur.fingerprint, outcome));
      return null;
    });
    if (waiters[0] != null) {
      waiters[0].complete(outcome);
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

  /** Completed entries currently held (approximate: expired entries may still be counted). */
  public long completedEntries() {
    completed.cleanUp();
    return completed.estimatedSize();
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
    private long maxEntries;
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
     * {@value #ENTRY_OVERHEAD_BYTES} bytes (default 64 MiB). Replaces a bound set with
     * {@link #maxEntries(long)}.
     */
    public Builder maxBytes(long maxBytes) {
      if (maxBytes < 1) {
        throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
      }
      this.maxBytes = maxBytes;
      this.maxEntries = 0;
      return this;
    }

    /**
     * Bounds the cache by a number of completed outcomes instead of by memory (default: bounded by
     * memory, see {@link #maxBytes(long)}); the oldest, least used go first.
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

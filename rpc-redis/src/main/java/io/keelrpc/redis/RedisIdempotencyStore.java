package io.keelrpc.redis;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.redis.internal.LuaScript;
import io.keelrpc.redis.internal.OutcomePoller;
import io.keelrpc.redis.internal.Scripts;
import io.keelrpc.redis.internal.StoredValue;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IdempotencyStore} in Redis, shared by several server instances: the first instance to
 * claim a key runs the call, duplicates on any instance get its outcome, and a key reused with
 * other params is refused, as with the in-memory store. See docs/multi-instance.md.
 *
 * <p>Each key is one Redis string, {@code <prefix><key>}: while the call runs, a claim that
 * expires after the lease and is renewed every lease/3 while this instance runs the call; once it
 * ran, the outcome, kept for the TTL. Claim, complete, release and renew are Lua scripts that
 * check the claim is still ours and act in one step. Duplicates on this instance join the running
 * call directly; duplicates on other instances poll the key with backoff until the outcome
 * appears, the claim vanishes (answered UNAVAILABLE: retry, and the retry may run the call), or
 * the request's deadline passes.
 *
 * <p>At most once holds while the owner keeps its lease: it fails only if the owning instance
 * cannot renew for a whole lease (it died, was paused, or lost Redis) while the call still runs,
 * or if the outcome cannot be written. If Redis cannot be reached when claiming, the call is
 * answered UNAVAILABLE without running (fail-closed), unless {@link Builder#failOpen(boolean)}.
 *
 * <pre>{@code
 * RedisIdempotencyStore store = RedisIdempotencyStore.builder()
 *     .uri("redis://10.0.0.5:6379")
 *     .ttl(Duration.ofMinutes(10))
 *     .build();
 * KeelServer.builder().idempotencyStore(store)...
 * }</pre>
 */
public final class RedisIdempotencyStore implements IdempotencyStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisIdempotencyStore.class);

  /** Default {@link Builder#keyPrefix(String)}. */
  public static final String DEFAULT_PREFIX = "keel:idem:";
  /** Default {@link Builder#ttl(Duration)}: 10 s, as the in-memory store. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  /** Default {@link Builder#lease(Duration)}: 10 s. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
  /** Default first poll delay of a duplicate waiting on another instance: 5 ms. */
  public static final Duration DEFAULT_POLL_INITIAL = Duration.ofMillis(5);
  /** Default longest poll delay (the delay doubles up to it): 100 ms. */
  public static final Duration DEFAULT_POLL_MAX = Duration.ofMillis(100);
  /** Default {@link Builder#commandTimeout(Duration)}: 1 s. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);

  private final RedisClient ownedClient;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> redis;
  private final String prefix;
  private final byte[] ttlMs;
  private final byte[] leaseMs;
  private final long leaseNanos;
  private final long commandTimeoutNanos;
  private final boolean failOpen;
  private final Scheduler scheduler;
  private final String where;
  private final OutcomePoller poller;
  /** Claims this instance holds (its running calls), by key. */
  private final ConcurrentHashMap<String, Owned> owned = new ConcurrentHashMap<>();
  /** Unique per claim: this store's random id, then a sequence number. */
  private final byte[] instanceId = new byte[8];
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean closed;
  private volatile Scheduler.Cancellable renewal;

  private RedisIdempotencyStore(Builder b) {
    Duration timeout = b.commandTimeout;
    if (b.client != null) {
      ownedClient = null;
      connection = b.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      where = "Redis";
    } else {
      RedisURI uri = RedisURI.create(b.uri);
      uri.setTimeout(timeout);
      ownedClient = RedisClient.create(uri);
      // Fail at once while disconnected rather than queue until the timeout.
      ownedClient.setOptions(ClientOptions.builder()
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
      connection = ownedClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      where = "Redis at " + uri.getHost() + ":" + uri.getPort();
    }
    connection.setTimeout(timeout);
    redis = connection.async();
    prefix = b.prefix;
    ttlMs = ms(b.ttl);
    leaseMs = ms(b.lease);
    leaseNanos = b.lease.toNanos();
    commandTimeoutNanos = timeout.toNanos();
    failOpen = b.failOpen;
    scheduler = b.scheduler != null ? b.scheduler
        : lettuceScheduler(b.client != null ? b.client : ownedClient);
    poller = new OutcomePoller(redis, scheduler, where, b.pollInitial.toNanos(),
        b.pollMax.toNanos(), () -> closed);
    new SecureRandom().nextBytes(instanceId);
    scheduleRenewal();
  }

  /** A builder; set {@link Builder#uri} or {@link Builder#client}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Claims the key, blocking until Redis answers (at most the command timeout). The server uses
   * {@link #claimAsync}; this is for direct use.
   */
  @Override
  public Entry claim(String key, long fingerprint) {
    try {
      return claimAsync(key, fingerprint, null).toCompletableFuture()
          .get(2 * commandTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable c = LuaScript.unwrap(e.getCause());
      throw c instanceof RuntimeException r ? r : new UnavailableException(c.toString());
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while claiming an idempotency key");
    }
  }

  @Override
  public CompletionStage<Entry> claimAsync(String key, long fingerprint, Deadline deadline) {
    if (closed) {
      return CompletableFuture.failedFuture(new UnavailableException(
          "the idempotency store is closed; the call did not run"));
    }
    Entry[] local = new Entry[1];
    owned.computeIfPresent(key, (k, cur) -> {
      local[0] = cur.join(); // under the key's lock, so complete() cannot miss this waiter
      return cur;
    });
    if (local[0] != null) {
      return CompletableFuture.completedFuture(local[0]);
    }
    byte[] claim = StoredValue.pending(fingerprint, token());
    CompletableFuture<byte[]> claimed =
        Scripts.CLAIM.<String, byte[], byte[]>run(redis, keys(key), claim, leaseMs);
    return claimed.handle((v, t) -> {
      if (t != null) {
        if (!failOpen) {
          throw unreachable(t);
        }
        log.warn("{} unreachable ({}); running the call without deduplication (fail-open)",
            where, LuaScript.unwrap(t).toString());
        owned.put(key, new Owned(fingerprint, claim));
        return null;
      }
      if (v == null) {
        owned.put(key, new Owned(fingerprint, claim));
        return null;
      }
      byte kind = StoredValue.kind(v);
      if (kind == 0) {
        throw new UnavailableException("the Redis key \"" + prefix + key
            + "\" holds a value this store did not write; check the key prefix");
      }
      long fp = StoredValue.fingerprint(v);
      if (kind != StoredValue.PENDING) {
        return new Found(fp, CompletableFuture.completedFuture(StoredValue.outcome(v)));
      }
      return new Found(fp, poller.await(prefix + key, deadline));
    });
  }

  @Override
  public void complete(String key, Outcome outcome) {
    Owned o = remove(key, outcome);
    if (o == null) {
      return;
    }
    Scripts.COMPLETE.<String, byte[], Long>run(redis, keys(key), o.claim,
        StoredValue.done(o.fingerprint, outcome), ttlMs).whenComplete((r, t) -> {
          if (t != null) {
            log.warn("could not record the outcome of idempotency key \"{}\" in {} ({}); a "
                + "duplicate arriving after its lease expires runs the call again",
                key, where, LuaScript.unwrap(t).toString());
          } else if (r == 0) {
            log.warn("the claim of idempotency key \"{}\" expired while its call ran and another "
                + "instance claimed it: the call may have run twice; the lease ({} ms) is "
                + "shorter than a pause or outage this instance had", key,
                TimeUnit.NANOSECONDS.toMillis(leaseNanos));
          }
        });
  }

  @Override
  public void release(String key, Outcome rejection) {
    Owned o = remove(key, rejection);
    if (o == null) {
      return;
    }
    Scripts.RELEASE.<String, byte[], Long>run(redis, keys(key), o.claim).whenComplete((r, t) -> {
      if (t != null) {
        log.warn("could not release idempotency key \"{}\" in {} ({}); it is free again when "
            + "its lease expires", key, where, LuaScript.unwrap(t).toString());
      }
    });
  }

  /** Calls this instance is running with a claimed key. */
  public int runningEntries() {
    return owned.size();
  }

  /**
   * Stops renewing leases and closes the connection (and the client, if this store created it).
   * Claims still held expire after their lease. Calling it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Scheduler.Cancellable r = renewal;
    if (r != null) {
      r.cancel();
    }
    connection.close();
    if (ownedClient != null) {
      ownedClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private Owned remove(String key, Outcome outcome) {
    Owned[] removed = new Owned[1];
    owned.computeIfPresent(key, (k, cur) -> {
      removed[0] = cur;
      return null;
    });
    Owned o = removed[0];
    if (o != null && o.waiters != null) {
      o.waiters.complete(outcome);
    }
    return o;
  }

  private void scheduleRenewal() {
    if (!closed) {
      renewal = scheduler.schedule(this::renewAll, leaseNanos / 3);
    }
  }

  private void renewAll() {
    for (Map.Entry<String, Owned> e : owned.entrySet()) {
      String key = e.getKey();
      Scripts.RENEW.<String, byte[], Long>run(redis, keys(key), e.getValue().claim, leaseMs)
          .whenComplete((r, t) -> {
            if (t != null) {
              log.warn("could not renew the lease of idempotency key \"{}\" in {} ({})", key,
                  where, LuaScript.unwrap(t).toString());
            } else if (r == 0 && owned.get(key) == e.getValue()) {
              log.warn("lost the claim of idempotency key \"{}\": its lease expired while the "
                  + "call ran; a duplicate may run it again", key);
            }
          });
    }
    scheduleRenewal();
  }

  private RpcException unreachable(Throwable t) {
    Throwable c = LuaScript.unwrap(t);
    if (c instanceof RpcException e) {
      return e;
    }
    return new UnavailableException("idempotency store unavailable: " + where + " did not answer ("
        + c + "); the call did not run; retry later");
  }

  private String[] keys(String key) {
    return new String[] {prefix + key};
  }

  private byte[] token() {
    return ByteBuffer.allocate(16).put(instanceId).putLong(sequence.incrementAndGet()).array();
  }

  private static byte[] ms(Duration d) {
    return Long.toString(Math.max(1, d.toMillis())).getBytes(StandardCharsets.US_ASCII);
  }

  private static Scheduler lettuceScheduler(RedisClient c) {
    var group = c.getResources().eventExecutorGroup();
    return (task, nanos) -> {
      var f = group.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }

  /** A claim this instance holds; its future exists once a local duplicate joins. */
  private static final class Owned implements Entry {
    final long fingerprint;
    final byte[] claim;
    CompletableFuture<Outcome> waiters;

    Owned(long fingerprint, byte[] claim) {
      this.fingerprint = fingerprint;
      this.claim = claim;
    }

    Entry join() {
      if (waiters == null) {
        waiters = new CompletableFuture<>();
      }
      return this;
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

  /** An execution found in Redis: running elsewhere (outcome polled) or completed. */
  private record Found(long fingerprint, CompletionStage<Outcome> outcome) implements Entry {}

  /** Builds a {@link RedisIdempotencyStore}. */
  public static final class Builder {
    private String uri;
    private RedisClient client;
    private String prefix = DEFAULT_PREFIX;
    private Duration ttl = DEFAULT_TTL;
    private Duration lease = DEFAULT_LEASE;
    private Duration pollInitial = DEFAULT_POLL_INITIAL;
    private Duration pollMax = DEFAULT_POLL_MAX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private boolean failOpen;
    private Scheduler scheduler;

    private Builder() {}

    /**
     * The Redis server, e.g. {@code redis://host:6379}; the store creates a client, set to reject
     * commands at once while disconnected, and shuts it down on {@link #close()}.
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.client = null;
      return this;
    }

    /**
     * An existing client to open the store's connection with (the store does not shut it down).
     * For fast failure while Redis is down, give it
     * {@code ClientOptions.DisconnectedBehavior.REJECT_COMMANDS}.
     */
    public Builder client(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.uri = null;
      return this;
    }

    /** Prepended to every idempotency key to form its Redis key (default "keel:idem:"). */
    public Builder keyPrefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** How long an outcome is kept, counted from completion (default 10 s). */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /**
     * How long a claim outlives its owner: the owner renews it every lease/3 while the call runs;
     * if the owner stops renewing (it died, or lost Redis), the key is free after at most the
     * lease (default 10 s, at least 30 ms).
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      if (lease.toMillis() < 30) {
        throw new IllegalArgumentException("lease: " + lease + " (expected: >= 30 ms)");
      }
      return this;
    }

    /**
     * How a duplicate waits for a call running on another instance: it polls the key after
     * {@code initial}, doubling the delay up to {@code max} (defaults 5 ms and 100 ms).
     */
    public Builder pollInterval(Duration initial, Duration max) {
      positive(initial, "initial");
      positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("pollInterval: max " + max + " < initial " + initial);
      }
      this.pollInitial = initial;
      this.pollMax = max;
      return this;
    }

    /** How long a Redis command may take before the call is answered UNAVAILABLE (default 1 s). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive(timeout, "commandTimeout");
      return this;
    }

    /**
     * What a claim does when Redis cannot be reached: {@code false} (the default, fail-closed)
     * answers the call UNAVAILABLE without running it; {@code true} runs it without
     * deduplication, logging a warning for each such call.
     */
    public Builder failOpen(boolean failOpen) {
      this.failOpen = failOpen;
      return this;
    }

    /** Times polls and lease renewals (default: the Redis client's event executors). */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Connects and returns the store; fails if neither a URI nor a client was given. */
    public RedisIdempotencyStore build() {
      if (uri == null && client == null) {
        throw new IllegalStateException("set uri(...) or client(...)");
      }
      return new RedisIdempotencyStore(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}

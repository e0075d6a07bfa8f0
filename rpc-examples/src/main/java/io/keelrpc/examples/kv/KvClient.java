package io.keelrpc.examples.kv;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.client.occ.VersionedStore;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.OccErrors;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.examples.kv.KvService.Entry;
import io.keelrpc.examples.kv.KvService.GetParams;
import io.keelrpc.examples.kv.KvService.PutParams;
import io.keelrpc.examples.kv.KvService.PutResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The {@link KvService} seen through a {@link KeelClient} as a {@link VersionedStore}, the shape
 * the OCC retry engine in {@code io.keelrpc.client.occ} drives. Error answers come back as the
 * typed {@link io.keelrpc.core.occ} exceptions ({@link OccErrors#typed}); a read of a missing key
 * is {@link Versioned#absent()}.
 *
 * <h2>Call options, and who retries</h2>
 * The OCC engine is the one retry loop: it counts network retries against its own limit, backs
 * off between them and recognises ambiguous writes. So every call this adapter makes is exactly
 * <em>one attempt</em> ({@link RetryPolicy#noRetries()}) bounded by the call timeout: were the
 * Keel client to retry too, each engine retry would hide up to {@code maxAttempts} wire attempts
 * (multiplying the attempts, and the time, the engine believes it spends) and the engine's
 * statistics would undercount the network retries that happened. The attempt is bounded by a
 * per-attempt timeout of {@code callTimeout} inside a deadline twice as long, so an answer that
 * never comes fails the call with an {@link io.keelrpc.core.AttemptTimeoutException} (retry safety
 * {@code IF_IDEMPOTENT}: a network failure the engine may retry) and not with a
 * {@link io.keelrpc.core.DeadlineExceededException} (retry safety {@code NEVER}: the engine would
 * give the whole update up).
 *
 * <p>A put carries the idempotency key {@code writerId + "@" + expectedVersion}. When the engine
 * repeats a write whose answer was lost, the repeat is a new call with a new id, but it has the
 * same key, so the server answers it from its idempotency cache with the first attempt's outcome
 * (within the cache's TTL, 10 s by default) instead of running it again. After that, or on another
 * server instance, the store's writer-id history still catches the repeat: VERSION_MISMATCH with
 * {@code appliedVersion}. The expected version is part of the key because after a
 * VERSION_MISMATCH the engine re-reads and retries the same writer id at the new version, a
 * different request that must run rather than get the cached mismatch again. (A put without a
 * writer id carries no key and is not idempotent.) Reads are read-only, so the server never caches
 * them.
 *
 * <pre>{@code
 * KvClient kv = new KvClient(keel, Duration.ofMillis(500));
 * Versioned<String> a = kv.read("a").toCompletableFuture().join();   // absent: version 0
 * long v = kv.write("a", "x", a.version(), UUID.randomUUID().toString())
 *     .toCompletableFuture().join();                                 // 1
 * }</pre>
 */
public final class KvClient implements VersionedStore<String> {
  /** Default per-call timeout: 2 s for the one attempt each call makes. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(2);

  private final KeelClient client;
  private final Duration callTimeout;
  private final CallOptions readOptions;

  /** An adapter with {@link #DEFAULT_CALL_TIMEOUT}. */
  public KvClient(KeelClient client) {
    this(client, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * An adapter whose every call is one attempt of at most {@code callTimeout}.
   *
   * @throws IllegalArgumentException if {@code callTimeout} is not positive
   */
  public KvClient(KeelClient client, Duration callTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout: " + callTimeout + " (expected: > 0)");
    }
    this.callTimeout = callTimeout;
    this.readOptions = CallOptions.builder()
        .perAttemptTimeout(callTimeout)
        .deadline(callTimeout.multipliedBy(2))
        .retryPolicy(RetryPolicy.noRetries())
        .build();
  }

  @Override
  public CompletionStage<Versioned<String>> read(String key) {
    CompletableFuture<Versioned<String>> out = new CompletableFuture<>();
    client.callAsync(KvService.GET, new GetParams(key), readOptions).whenComplete((r, e) -> {
      if (e == null) {
        out.complete(versioned(r));
        return;
      }
      Throwable typed = OccErrors.typed(unwrap(e));
      if (typed instanceof KeyNotFoundException) {
        out.complete(Versioned.absent());
      } else {
        out.completeExceptionally(typed);
      }
    });
    return out;
  }

  @Override
  public CompletionStage<Long> write(String key, String value, long expectedVersion,
      String writerId) {
    CompletableFuture<Long> out = new CompletableFuture<>();
    client.callAsync(KvService.PUT, new PutParams(key, value, expectedVersion, writerId),
        putOptions(writerId, expectedVersion)).whenComplete((PutResult r, Throwable e) -> {
          if (e == null) {
            out.complete(r.version());
          } else {
            out.completeExceptionally(OccErrors.typed(unwrap(e)));
          }
        });
    return out;
  }

  /** The options of {@link #read}: one attempt of at most the call timeout. */
  CallOptions readOptions() {
    return readOptions;
  }

  /**
   * The options of {@link #write}: one attempt of at most the call timeout, with the idempotency
   * key {@code writerId@expectedVersion} (none without a writer id, or if it would exceed the
   * protocol's {@value Meta#MAX_IDEMPOTENCY_KEY_LENGTH} characters).
   */
  CallOptions putOptions(String writerId, long expectedVersion) {
    CallOptions.Builder b = CallOptions.builder()
        .perAttemptTimeout(callTimeout)
        .deadline(callTimeout.multipliedBy(2))
        .retryPolicy(RetryPolicy.noRetries());
    String key = idempotencyKey(writerId, expectedVersion);
    if (key != null) {
      b.idempotencyKey(key);
    } else {
      b.idempotent(false);
    }
    return b.build();
  }

  /** {@code writerId@expectedVersion}, or null if there is no writer id or it is too long. */
  static String idempotencyKey(String writerId, long expectedVersion) {
    if (writerId == null || writerId.isEmpty()) {
      return null;
    }
    String key = writerId + "@" + expectedVersion;
    return key.length() <= Meta.MAX_IDEMPOTENCY_KEY_LENGTH ? key : null;
  }

  private static Versioned<String> versioned(Entry e) {
    return new Versioned<>(e.value(), e.version(), e.writerId());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return "KvClient{callTimeout=" + callTimeout + "}";
  }
}

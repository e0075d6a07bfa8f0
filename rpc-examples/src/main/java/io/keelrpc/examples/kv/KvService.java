package io.keelrpc.examples.kv;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.examples.kv.storage.KvStorage;
import io.keelrpc.examples.kv.storage.StoredValue;
import io.keelrpc.server.KeelServer;
import java.util.Objects;

/**
 * The versioned key-value service: {@code kv.get} and {@code kv.put} over Keel, backed by any
 * {@link KvStorage}. Failed writes answer with the typed OCC errors of
 * {@link io.keelrpc.core.occ} (VERSION_MISMATCH 1001, KEY_EXISTS 1002, KEY_NOT_FOUND 1003) and
 * their structured data; docs/kv.md has the whole wire contract.
 *
 * <pre>
 * kv.get {"key":"a"}
 *     -&gt; {"key":"a","value":"x","version":3,"writerId":"w-9"}      or KEY_NOT_FOUND {key}
 * kv.put {"key":"a","value":"y","expectedVersion":3,"writerId":"w-10"}
 *     -&gt; {"key":"a","version":4}
 *        or VERSION_MISMATCH {key, expectedVersion, actualVersion, writerId, appliedVersion?}
 *        or KEY_EXISTS {key, actualVersion} (expectedVersion 0 on an existing key)
 *        or KEY_NOT_FOUND {key} (expectedVersion &gt; 0 on a missing key)
 * </pre>
 *
 * <pre>{@code
 * KvStorage storage = new InMemoryKvStorage();
 * try (KeelServer server = KvService.register(KeelServer.builder().port(0), storage).start();
 *     KeelClient keel = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
 *   KvClient kv = new KvClient(keel);
 *   kv.write("a", "x", 0, "w-1").toCompletableFuture().join();    // 1
 *   kv.read("a").toCompletableFuture().join();                    // Versioned[x, 1, w-1]
 * }
 * }</pre>
 */
public final class KvService {
  /**
   * Params of {@code kv.get}: {@code {"key": "a"}}.
   *
   * @param key the key; required and non-empty
   */
  public record GetParams(String key) {}

  /**
   * The result of {@code kv.get}: the key's value, version and last writer id.
   *
   * @param key the key
   * @param value its value
   * @param version its version, {@code >= 1}
   * @param writerId the writer id of the write that produced this version; absent if it had none
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String key, String value, long version, String writerId) {}

  /**
   * Params of {@code kv.put}.
   *
   * @param key the key; required and non-empty
   * @param value the new value; required
   * @param expectedVersion the version the caller read; {@code 0} creates; required, {@code >= 0}
   * @param writerId unique id of this logical write, reused by its retries; optional, but without
   *     it a retried write cannot learn that its first attempt was applied
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PutParams(String key, String value, Long expectedVersion, String writerId) {}

  /**
   * The result of {@code kv.put}: {@code {"key": "a", "version": 4}}.
   *
   * @param key the key
   * @param version the version the write produced
   */
  public record PutResult(String key, long version) {}

  /** {@code kv.get}: reads a key; read-only, so the server's idempotency cache skips it. */
  public static final MethodDescriptor<GetParams, Entry> GET =
      MethodDescriptor.of("kv.get", GetParams.class, Entry.class).asReadOnly();

  /** {@code kv.put}: writes a key if it is at the expected version. */
  public static final MethodDescriptor<PutParams, PutResult> PUT =
      MethodDescriptor.of("kv.put", PutParams.class, PutResult.class);

  private KvService() {}

  /**
   * Registers {@code kv.get} and {@code kv.put} on {@code server}, both as blocking handlers on
   * its worker pool (the durable stores do I/O), and returns the builder. The caller owns
   * {@code storage} and closes it after the server.
   */
  public static KeelServer.Builder register(KeelServer.Builder server, KvStorage storage) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(storage, "storage");
    return server
        .handle(GET, (p, ctx) -> get(storage, p))
        .handle(PUT, (p, ctx) -> put(storage, p));
  }

  static Entry get(KvStorage storage, GetParams p) {
    String key = requireKey(p.key());
    StoredValue v = storage.get(key).orElseThrow(() -> new KeyNotFoundException(key));
    return new Entry(key, v.value(), v.version(), v.writerId());
  }

  static PutResult put(KvStorage storage, PutParams p) {
    String key = requireKey(p.key());
    if (p.value() == null) {
      throw new InvalidParamsException("value: missing (expected: a string)");
    }
    if (p.expectedVersion() == null || p.expectedVersion() < 0) {
      throw new InvalidParamsException("expectedVersion: "
          + (p.expectedVersion() == null ? "missing" : p.expectedVersion())
          + " (expected: the version read, >= 0; 0 creates)");
    }
    if (p.writerId() != null && p.writerId().isEmpty()) {
      throw new InvalidParamsException("writerId: \"\" (expected: absent or non-empty)");
    }
    long version;
    try {
      version = storage.put(key, p.value(), p.expectedVersion(), p.writerId());
    } catch (IllegalArgumentException e) {
      throw new InvalidParamsException(e.getMessage());
    }
    return new PutResult(key, version);
  }

  private static String requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidParamsException("key: " + (key == null ? "missing" : "\"\"")
          + " (expected: a non-empty string)");
    }
    return key;
  }
}

package io.keelrpc.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run with {@code EVALSHA}, falling back to {@code EVAL} (which also caches it in
 * Redis) when the server does not know it yet, e.g. after a restart or {@code SCRIPT FLUSH}.
 */
public final class LuaScript {
  private final String source;
  private final String sha;
  private final ScriptOutputType type;

  /** A script returning {@code type}. */
  public LuaScript(String source, ScriptOutputType type) {
    this.source = source;
    this.type = type;
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      this.sha = HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /**
   * Runs the script on {@code keys} with {@code args}, with whatever codec {@code redis} has; the
   * future completes on a Redis thread.
   */
  @SafeVarargs
  public final <K, V, T> CompletableFuture<T> run(RedisAsyncCommands<K, V> redis, K[] keys,
      V... args) {
    CompletableFuture<T> out = new CompletableFuture<>();
    redis.<T>evalsha(sha, type, keys, args).whenComplete((r, t) -> {
      if (t == null) {
        out.complete(r);
      } else if (unwrap(t) instanceof RedisNoScriptException) {
        redis.<T>eval(source, type, keys, args).whenComplete((r2, t2) -> {
          if (t2 == null) {
            out.complete(r2);
          } else {
            out.completeExceptionally(unwrap(t2));
          }
        });
      } else {
        out.completeExceptionally(unwrap(t));
      }
    });
    return out;
  }

  /** The cause of a {@link CompletionException}, else {@code t}. */
  public static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}

package io.keelrpc.redis.registry.internal;

import io.keelrpc.redis.internal.LuaScript;
import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts of the Redis registry; each runs atomically in Redis. Keys of one service share
 * the hash tag {@code {service}}, so they live in one slot.
 *
 * <p>An instance is a hash {@code <prefix>:{svc}:i:<id>} with fields {@code host}, {@code port},
 * {@code owner} (the registration's random token), {@code version} and {@code t.<tag>} per tag,
 * expiring after the TTL ({@code PEXPIRE}); the set {@code <prefix>:{svc}:ids} indexes the ids;
 * changes are announced on the channel {@code <prefix>:{svc}:changes}.
 */
public final class RegistryScripts {
  private RegistryScripts() {}

  /**
   * Writes a whole record. KEYS: instance, ids, channel. ARGV: ttl ms, id, owner, force (1:
   * take over any owner), then field/value pairs. Returns the new version, or -1 if another
   * registration owns the id and force is 0.
   */
  public static final LuaScript WRITE = new LuaScript("""
      local cur = redis.call('HGET', KEYS[1], 'owner')
      if ARGV[4] == '0' and cur and cur ~= ARGV[3] then return -1 end
      local v = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') + 1
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'owner', ARGV[3], 'version', v, unpack(ARGV, 5))
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      redis.call('SADD', KEYS[2], ARGV[2])
      redis.call('PUBLISH', KEYS[3], ARGV[2])
      return v
      """, ScriptOutputType.INTEGER);

  /**
   * Renews the TTL. KEYS: instance. ARGV: ttl ms, owner. Returns 1 renewed, 0 gone (expired:
   * write it again), -1 owned by another registration.
   */
  public static final LuaScript RENEW = new LuaScript("""
      local cur = redis.call('HGET', KEYS[1], 'owner')
      if not cur then return 0 end
      if cur ~= ARGV[2] then return -1 end
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return 1
      """, ScriptOutputType.INTEGER);

  /** Deregisters. KEYS: instance, ids, channel. ARGV: owner, id. Returns 1 if removed. */
  public static final LuaScript DELETE = new LuaScript("""
      if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('SREM', KEYS[2], ARGV[2])
      redis.call('PUBLISH', KEYS[3], ARGV[2])
      return 1
      """, ScriptOutputType.INTEGER);

  /**
   * Lists the live records of a service and drops expired ids from the index. KEYS: ids. ARGV:
   * instance key prefix. Returns id, fields, id, fields, ...
   */
  public static final LuaScript LIST = new LuaScript("""
      local out = {}
      for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        local h = redis.call('HGETALL', ARGV[1] .. id)
        if #h == 0 then
          redis.call('SREM', KEYS[1], id)
        else
          out[#out + 1] = id
          out[#out + 1] = h
        end
      end
      return out
      """, ScriptOutputType.MULTI);

  /** The cause of a {@link java.util.concurrent.CompletionException}, else {@code t}. */
  public static Throwable unwrap(Throwable t) {
    return LuaScript.unwrap(t);
  }
}

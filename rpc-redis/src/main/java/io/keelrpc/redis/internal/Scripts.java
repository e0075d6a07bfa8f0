package io.keelrpc.redis.internal;

import io.lettuce.core.ScriptOutputType;

/**
 * The idempotency store's atomic steps. Each reads and writes one key inside Redis, so no other
 * client's command can come between the check and the act.
 */
public final class Scripts {
  private Scripts() {}

  /**
   * KEYS[1] the key, ARGV[1] our claim, ARGV[2] the lease in ms. Returns the value already there
   * (a running claim or an outcome), or nil after storing our claim with the lease as its expiry.
   */
  public static final LuaScript CLAIM = new LuaScript(""
      + "local v = redis.call('GET', KEYS[1])\n"
      + "if v then return v end\n"
      + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
      + "return false\n", ScriptOutputType.VALUE);

  /**
   * KEYS[1], ARGV[1] our claim, ARGV[2] the outcome record, ARGV[3] its TTL in ms. Stores the
   * outcome if the key still holds our claim (1) or nothing at all, our lease having expired with
   * nobody claiming since (2); leaves another owner's claim or outcome alone (0).
   */
  public static final LuaScript COMPLETE = new LuaScript(""
      + "local v = redis.call('GET', KEYS[1])\n"
      + "if v == ARGV[1] then\n"
      + "  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1\n"
      + "end\n"
      + "if not v then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 2 end\n"
      + "return 0\n", ScriptOutputType.INTEGER);

  /** KEYS[1], ARGV[1] our claim. Deletes the key if it holds our claim (1), else nothing (0). */
  public static final LuaScript RELEASE = new LuaScript(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end\n"
      + "return 0\n", ScriptOutputType.INTEGER);

  /**
   * KEYS[1], ARGV[1] our claim, ARGV[2] the lease in ms. Extends the lease if the key still holds
   * our claim (1), else nothing (0: the lease had expired).
   */
  public static final LuaScript RENEW = new LuaScript(""
      + "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
      + "  redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1\n"
      + "end\n"
      + "return 0\n", ScriptOutputType.INTEGER);
}

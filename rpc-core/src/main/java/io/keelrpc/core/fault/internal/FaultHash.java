package io.keelrpc.core.fault.internal;

/**
 * The decision function of the fault injector: a splitmix64-based hash of
 * {@code (seed, side, kind, method, id, attempt)} mapped to a double in {@code [0, 1)}.
 *
 * <p>Each value is absorbed in turn ({@code h = mix(h + GAMMA + v)}, splitmix64's increment and
 * finaliser); strings are first reduced to 64 bits with FNV-1a over their UTF-16 units and the
 * length. The constants below are part of the replay contract: changing one changes which calls
 * every existing seed hits.
 */
public final class FaultHash {
  /** Side code of a client. */
  public static final int CLIENT = 1;
  /** Side code of a server. */
  public static final int SERVER = 2;

  /** Fault code: drop the request. */
  public static final int DROP_REQUEST = 1;
  /** Fault code: drop the answer. */
  public static final int DROP_RESPONSE = 2;
  /** Fault code: delay the message. */
  public static final int DELAY = 3;
  /** Fault code: duplicate the request. */
  public static final int DUPLICATE_REQUEST = 4;
  /** Fault code: close the connection. */
  public static final int DISCONNECT = 5;
  /** Salt of the draw that picks a delay's length. */
  public static final int DELAY_AMOUNT = 6;

  private static final long GAMMA = 0x9e3779b97f4a7c15L;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private FaultHash() {}

  /** The uniform number in {@code [0, 1)} for these inputs. */
  public static double unit(long seed, int side, int kind, String method, String id, int attempt) {
    long h = mix(seed);
    h = absorb(h, side);
    h = absorb(h, kind);
    h = absorb(h, hash(method));
    h = absorb(h, hash(id));
    h = absorb(h, attempt);
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long absorb(long h, long v) {
    return mix(h + GAMMA + v);
  }

  /** 64-bit FNV-1a over the UTF-16 units of {@code s}, then its length. */
  static long hash(String s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return (h ^ s.length()) * FNV_PRIME;
  }

  /** splitmix64's finaliser (Stafford's variant 13). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

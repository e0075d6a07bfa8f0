package io.keelrpc.server.internal;

/**
 * A 64-bit FNV-1a hash of a method name and the params bytes as sent, so the idempotency cache
 * can tell a retry (same method, same params) from a reused key. Retries of one call send the
 * same bytes (the Keel client serialises params once; other clients re-serialise the same value
 * the same way), so params are compared as sent: the same value written with its members in
 * another order is a different request.
 */
final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprint() {}

  static long of(String method, byte[] params) {
    long h = OFFSET;
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      h = (h ^ (c & 0xff)) * PRIME;
      h = (h ^ (c >>> 8)) * PRIME;
    }
    // a separator no UTF-8 JSON byte sequence starts with, then the params (absent: nothing)
    h = (h ^ 0xff) * PRIME;
    if (params != null) {
      h = (h ^ 0xfe) * PRIME;
      for (byte b : params) {
        h = (h ^ (b & 0xff)) * PRIME;
      }
    }
    return h;
  }
}

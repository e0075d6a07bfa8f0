package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * A 64-bit FNV-1a hash of a method name and its params tree, so the idempotency cache can tell a
 * retry (same method and params) from a reused key. Object members are hashed in the order sent;
 * retries of one call send the same bytes.
 */
final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprint() {}

  static long of(String method, JsonNode params) {
    long h = mix(OFFSET, method);
    h = mixByte(h, 0);
    return params == null ? h : hash(h, params);
  }

  private static long hash(long h, JsonNode n) {
    h = mixByte(h, n.getNodeType().ordinal() + 1);
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        h = mix(h, e.getKey());
        h = mixByte(h, ':');
        h = hash(h, e.getValue());
      }
      return mixByte(h, '}');
    }
    if (n.isArray()) {
      for (JsonNode e : n) {
        h = hash(h, e);
      }
      return mixByte(h, ']');
    }
    return mix(h, n.asText());
  }

  private static long mix(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = mixByte(h, c & 0xff);
      h = mixByte(h, c >>> 8);
    }
    return mixByte(h, 0xff);
  }

  private static long mixByte(long h, int b) {
    return (h ^ (b & 0xff)) * PRIME;
  }
}

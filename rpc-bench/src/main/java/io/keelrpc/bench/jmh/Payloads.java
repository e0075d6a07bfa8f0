package io.keelrpc.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.keelrpc.core.wire.KeelJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test payloads of an exact serialised size, shared by the codec benchmarks.
 *
 * <p>A payload is a params (or result) object {@code {"key":..,"items":[{"i":0,"v":".."},..],
 * "pad":".."}}: a realistic mix of small fields rather than one long string, padded so that its
 * JSON is exactly the requested number of bytes.
 */
final class Payloads {
  /** One element of {@link Params#items}. */
  public record Item(int i, String v) {}

  /** The params/result object the benchmarks send. */
  public record Params(String key, List<Item> items, String pad) {}

  /** A request id shaped like the client's ({@code <random base36>-<counter>}). */
  static final String ID = "2k1x9d0f3hq7b-1000042";

  /** The method name used throughout. */
  static final String METHOD = "kv.put";

  private Payloads() {}

  /** A params object whose JSON (per {@link KeelJson#mapper()}) is exactly {@code size} bytes. */
  static Params params(int size) {
    int n = Math.max(0, (size - 60) / 23);
    while (true) {
      List<Item> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(new Item(i % 10, "abcdefgh"));
      }
      int base = json(new Params("user-00042", items, "")).length;
      if (base <= size) {
        Params p = new Params("user-00042", items, "x".repeat(size - base));
        if (json(p).length != size) {
          throw new AssertionError("payload is " + json(p).length + " bytes, wanted " + size);
        }
        return p;
      }
      if (n == 0) {
        throw new IllegalArgumentException("size " + size + " is below the smallest payload " + base);
      }
      n--;
    }
  }

  /** The JSON bytes of {@code value}. */
  static byte[] json(Object value) {
    try {
      return KeelJson.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A typical request frame payload (no length prefix): id, method, params and meta. */
  static byte[] requestJson(byte[] paramsJson) {
    String head = "{\"jsonrpc\":\"2.0\",\"id\":\"" + ID + "\",\"method\":\"" + METHOD
        + "\",\"params\":";
    String tail = ",\"meta\":{\"timeoutMs\":1000,\"attempt\":1}}";
    return concat(head, paramsJson, tail);
  }

  /** A success response frame payload (no length prefix) carrying {@code resultJson}. */
  static byte[] responseJson(byte[] resultJson) {
    return concat("{\"jsonrpc\":\"2.0\",\"id\":\"" + ID + "\",\"result\":", resultJson, "}");
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + middle.length + t.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(middle, 0, out, h.length, middle.length);
    System.arraycopy(t, 0, out, h.length + middle.length, t.length);
    return out;
  }
}

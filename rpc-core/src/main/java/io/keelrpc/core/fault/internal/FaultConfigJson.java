package io.keelrpc.core.fault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.fault.Delay;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultRule;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link FaultInjector} from JSON (see {@link FaultInjector#fromJson}). Every error is an
 * {@link IllegalArgumentException} whose message starts with the path of the bad member, e.g.
 * {@code methods["kv.put"].delay.maxMs: 1 (expected: >= minMs 20)}.
 */
public final class FaultConfigJson {
  private static final List<String> TOP = List.of("seed", "all", "methods");
  private static final List<String> RULE =
      List.of("dropRequest", "dropResponse", "delay", "duplicateRequest", "disconnect");
  private static final List<String> FIXED = List.of("rate", "kind", "ms");
  private static final List<String> UNIFORM = List.of("rate", "kind", "minMs", "maxMs");
  private static final List<String> EXPONENTIAL = List.of("rate", "kind", "meanMs");
  private static final double MAX_MS = Delay.MAX.toMillis();

  private FaultConfigJson() {}

  /**
   * The injector {@code config} describes.
   *
   * @throws IllegalArgumentException naming the bad member
   */
  public static FaultInjector parse(JsonNode config) {
    requireObject(config, "fault config");
    checkFields(config, "", TOP);
    FaultInjector.Builder b = FaultInjector.builder();
    JsonNode seed = config.get("seed");
    if (seed != null) {
      if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
        throw bad("seed", seed, "an integer");
      }
      b.seed(seed.longValue());
    }
    JsonNode all = config.get("all");
    if (all != null) {
      b.forAllMethods(rule(all, "all"));
    }
    JsonNode methods = config.get("methods");
    if (methods != null) {
      requireObject(methods, "methods");
      for (Iterator<Map.Entry<String, JsonNode>> it = methods.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "methods[\"" + e.getKey() + "\"]";
        if (e.getKey().isEmpty()) {
          throw new IllegalArgumentException(path + ": empty method name (expected: a name)");
        }
        b.forMethod(e.getKey(), rule(e.getValue(), path));
      }
    }
    return b.build();
  }

  private static FaultRule rule(JsonNode node, String path) {
    requireObject(node, path);
    checkFields(node, path + ".", RULE);
    FaultRule.Builder b = FaultRule.builder();
    b.dropRequest(rate(node, path, "dropRequest"));
    b.dropResponse(rate(node, path, "dropResponse"));
    b.duplicateRequest(rate(node, path, "duplicateRequest"));
    b.disconnect(rate(node, path, "disconnect"));
    JsonNode delay = node.get("delay");
    if (delay != null) {
      String p = path + ".delay";
      requireObject(delay, p);
      JsonNode kind = delay.get("kind");
      if (kind == null) {
        throw new IllegalArgumentException(
            p + ".kind: missing (expected: \"fixed\", \"uniform\" or \"exponential\")");
      }
      if (delay.get("rate") == null) {
        throw new IllegalArgumentException(p + ".rate: missing (expected: a number in 0..1)");
      }
      double rate = rate(delay, p, "rate");
      switch (kind.isTextual() ? kind.textValue() : "") {
        case "fixed":
          checkFields(delay, p + ".", FIXED);
          b.delay(rate, Delay.fixed(millis(delay, p, "ms")));
          break;
        case "uniform":
          checkFields(delay, p + ".", UNIFORM);
          Duration min = millis(delay, p, "minMs");
          Duration max = millis(delay, p, "maxMs");
          if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(p + ".maxMs: " + delay.get("maxMs")
                + " (expected: >= minMs " + delay.get("minMs") + ")");
          }
          b.delay(rate, Delay.uniform(min, max));
          break;
        case "exponential":
          checkFields(delay, p + ".", EXPONENTIAL);
          b.delay(rate, Delay.exponential(millis(delay, p, "meanMs")));
          break;
        default:
          throw bad(p + ".kind", kind, "\"fixed\", \"uniform\" or \"exponential\"");
      }
    }
    return b.build();
  }

  /** The rate member {@code name} of {@code node}, 0 if absent. */
  private static double rate(JsonNode node, String path, String name) {
    JsonNode v = node.get(name);
    if (v == null) {
      return 0;
    }
    if (!v.isNumber()) {
      throw bad(path + "." + name, v, "a number in 0..1");
    }
    double d = v.doubleValue();
    if (!(d >= 0 && d <= 1)) {
      throw bad(path + "." + name, v, "0..1");
    }
    return d;
  }

  /** The required milliseconds member {@code name} of {@code node}. */
  private static Duration millis(JsonNode node, String path, String name) {
    JsonNode v = node.get(name);
    String expected = "a number of milliseconds in 0.." + (long) MAX_MS;
    if (v == null) {
      throw new IllegalArgumentException(path + "." + name + ": missing (expected: " + expected
          + ")");
    }
    if (!v.isNumber() || !(v.doubleValue() >= 0 && v.doubleValue() <= MAX_MS)) {
      throw bad(path + "." + name, v, expected);
    }
    return Duration.ofNanos(Math.round(v.doubleValue() * 1_000_000));
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw bad(path, node, "an object");
    }
  }

  private static void checkFields(JsonNode node, String prefix, List<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(prefix + name + ": unknown member (expected: one of "
            + String.join(", ", allowed) + ")");
      }
    }
  }

  private static IllegalArgumentException bad(String path, JsonNode value, String expected) {
    return new IllegalArgumentException(path + ": " + value + " (expected: " + expected + ")");
  }
}

package io.keelrpc.examples.counter;

import io.keelrpc.core.InvalidParamsException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A thread-safe {@link CounterService} that keeps its counters in memory. */
public final class InMemoryCounterService implements CounterService {
  private final ConcurrentMap<String, Long> counters = new ConcurrentHashMap<>();

  @Override
  public Counter inc(String key, long delta) {
    requireKey(key);
    long value = counters.merge(key, delta, (a, b) -> {
      try {
        return Math.addExact(a, b);
      } catch (ArithmeticException e) {
        throw new InvalidParamsException("delta: " + b + " (expected: the counter \"" + key
            + "\" at " + a + " plus delta to fit in a signed 64-bit integer)");
      }
    });
    return new Counter(key, value);
  }

  @Override
  public Counter get(String key) {
    requireKey(key);
    return new Counter(key, counters.getOrDefault(key, 0L));
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidParamsException("key: " + (key == null ? "missing" : "\"\"")
          + " (expected: a non-empty string naming the counter)");
    }
  }
}

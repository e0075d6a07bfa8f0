package io.keelrpc.server;

import io.keelrpc.core.MethodDescriptor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code inc}/{@code get} service of seed {@code 000_a902bf2e86bf5c16.txt}, written for tests:
 * {@code inc(key, delta = 1)} and {@code get(key)}, both returning {@code {"key","value"}}, with
 * counts of how often each handler ran.
 */
public final class CounterService {
  /** Params of {@code inc}; {@code delta} defaults to 1. */
  public record IncParams(String key, Long delta) {}

  /** Params of {@code get}. */
  public record KeyParams(String key) {}

  /** Result of both methods. */
  public record Counter(String key, long value) {}

  /** {@code inc}: has effects, so retries are deduplicated. */
  public static final MethodDescriptor<IncParams, Counter> INC =
      MethodDescriptor.of("inc", IncParams.class, Counter.class);
  /** {@code get}: read-only, so it skips the idempotency cache. */
  public static final MethodDescriptor<KeyParams, Counter> GET =
      MethodDescriptor.of("get", KeyParams.class, Counter.class).asReadOnly();

  private final ConcurrentHashMap<String, Long> values = new ConcurrentHashMap<>();
  private final AtomicInteger incRuns = new AtomicInteger();
  private final AtomicInteger getRuns = new AtomicInteger();

  /** Registers {@code inc} and {@code get} on {@code builder}. */
  public KeelServer.Builder registerOn(KeelServer.Builder builder) {
    return builder
        .handle(INC, (p, ctx) -> inc(p))
        .handle(GET, (p, ctx) -> get(p));
  }

  /** The {@code inc} handler body. */
  public Counter inc(IncParams p) {
    incRuns.incrementAndGet();
    long delta = p.delta() == null ? 1 : p.delta();
    return new Counter(p.key(), values.merge(p.key(), delta, Long::sum));
  }

  /** The {@code get} handler body. */
  public Counter get(KeyParams p) {
    getRuns.incrementAndGet();
    return new Counter(p.key(), values.getOrDefault(p.key(), 0L));
  }

  /** The current value of {@code key}. */
  public long value(String key) {
    return values.getOrDefault(key, 0L);
  }

  /** How many times the {@code inc} handler ran. */
  public int incRuns() {
    return incRuns.get();
  }

  /** How many times the {@code get} handler ran. */
  public int getRuns() {
    return getRuns.get();
  }
}

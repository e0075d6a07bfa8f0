package io.keelrpc.client.occ.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The default writer ids: a random 64-bit prefix, then a counter. */
public final class WriterIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WriterIds() {}

  /**
   * A supplier of ids {@code "<16 hex digits>-<n>"} with a fresh random prefix, unique per call;
   * two suppliers collide only if their prefixes do (a chance of about 2^-64 per pair).
   */
  public static Supplier<String> randomPrefixAndCounter() {
    String prefix = String.format("%016x", RANDOM.nextLong());
    AtomicLong counter = new AtomicLong();
    return () -> prefix + "-" + counter.incrementAndGet();
  }
}

package io.keelrpc.core.time;

/**
 * A source of monotonic nanoseconds. Everything in Keel that measures or expires time reads it
 * through a ticker, so tests can drive virtual time instead of sleeping.
 *
 * <pre>{@code
 * Ticker ticker = Ticker.system();
 * long start = ticker.nanoTime();
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long nanoTime();

  /** The system ticker ({@link System#nanoTime()}). */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** The one place in Keel's main code that reads the system's monotonic clock. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}

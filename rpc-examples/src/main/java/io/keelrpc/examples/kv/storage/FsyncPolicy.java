package io.keelrpc.examples.kv.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * When a durable {@link KvStorage} forces its writes to the storage device. Every policy writes
 * an acknowledged put to the operating system before {@code put} returns, so a crash of the
 * process alone (SIGKILL, an OOM kill) loses nothing acknowledged; the policies differ in what a
 * power loss or kernel crash may lose.
 *
 * <table>
 *   <caption>Fsync policies</caption>
 *   <tr><th>policy</th><th>{@code put} returns after</th><th>power loss may lose</th></tr>
 *   <tr><td>{@link #always()}</td><td>the write reached the device (fsync; group commit: one
 *       fsync covers every write waiting for it)</td><td>nothing acknowledged</td></tr>
 *   <tr><td>{@link #every(Duration) every(interval)}</td><td>the write reached the operating
 *       system; a background task syncs every {@code interval}</td><td>up to {@code interval}
 *       of acknowledged writes</td></tr>
 *   <tr><td>{@link #never()}</td><td>the write reached the operating system; synced on close and
 *       whenever the OS flushes</td><td>whatever the OS had not flushed (on Linux typically up to
 *       30 s)</td></tr>
 * </table>
 *
 * <pre>{@code
 * FsyncPolicy p = FsyncPolicy.every(Duration.ofMillis(100));
 * }</pre>
 */
public final class FsyncPolicy {
  /** The kinds of policy. */
  public enum Mode {
    /** Sync before acknowledging every write. */
    ALWAYS,
    /** Sync in the background every {@link FsyncPolicy#interval()}. */
    INTERVAL,
    /** Leave syncing to the operating system (and to {@code close}). */
    NEVER
  }

  private static final FsyncPolicy ALWAYS = new FsyncPolicy(Mode.ALWAYS, Duration.ZERO);
  private static final FsyncPolicy NEVER = new FsyncPolicy(Mode.NEVER, Duration.ZERO);

  private final Mode mode;
  private final Duration interval;

  private FsyncPolicy(Mode mode, Duration interval) {
    this.mode = mode;
    this.interval = interval;
  }

  /** Sync every write before acknowledging it: the durable choice, and the slowest. */
  public static FsyncPolicy always() {
    return ALWAYS;
  }

  /**
   * Sync in the background every {@code interval} (if anything was written since the last sync).
   *
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public static FsyncPolicy every(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    return new FsyncPolicy(Mode.INTERVAL, interval);
  }

  /** Never sync explicitly, except on close. */
  public static FsyncPolicy never() {
    return NEVER;
  }

  /** The kind of policy. */
  public Mode mode() {
    return mode;
  }

  /** The background sync interval of {@link Mode#INTERVAL}; zero for the other modes. */
  public Duration interval() {
    return interval;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsyncPolicy p && p.mode == mode && p.interval.equals(interval);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + interval.hashCode();
  }

  @Override
  public String toString() {
    return mode == Mode.INTERVAL ? "every " + interval.toMillis() + " ms"
        : mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}

package io.keelrpc.examples.eventlog;

import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EventLogger} trades ordering against what a crash can lose and against
 * retransmission requests. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * LoggerConfig c = LoggerConfig.builder().bufferSize(64).gapTimeout(16).build();
 * }</pre>
 *
 * <p>All "times" here are counted in packets received (every {@code receive} that returned a
 * packet, duplicates and corrupted ones included): the logger's clock is the stream itself, so
 * a run is reproducible.
 *
 * @param bufferSize the most packets held back waiting for a missing lower sequence; when one
 *     more arrives the logger gives up waiting for the lowest missing one and writes on. 0 writes
 *     every packet as it arrives.
 * @param gapTimeout after how many packets a missing sequence (a gap below a packet that
 *     arrived, or a corrupted one) is requested again from the source, once per run
 * @param retransmitTimeout after how many packets, beyond those needed to serve the requests
 *     made before it (the source answers one per receive, in order), a requested sequence at
 *     the head of the buffer is given up so later packets can be written
 * @param fsync when written lines are forced to the device
 */
public record LoggerConfig(int bufferSize, int gapTimeout, int retransmitTimeout,
    FsyncPolicy fsync) {
  /** The seed's {@code buffer_size} default. */
  public static final int DEFAULT_BUFFER_SIZE = 30;
  /** Default gap timeout: a little more than the source's default reorder window of 10. */
  public static final int DEFAULT_GAP_TIMEOUT = 12;
  /** Default retransmit timeout. */
  public static final int DEFAULT_RETRANSMIT_TIMEOUT = 4;
  /** Default fsync policy: force at most every 100 ms of writing. */
  public static final FsyncPolicy DEFAULT_FSYNC = FsyncPolicy.every(Duration.ofMillis(100));
  /** The largest buffer. */
  public static final int MAX_BUFFER_SIZE = 1_000_000;

  /** Validates the parameters. */
  public LoggerConfig {
    if (bufferSize < 0 || bufferSize > MAX_BUFFER_SIZE) {
      throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: 0.."
          + MAX_BUFFER_SIZE + ")");
    }
    if (gapTimeout < 1) {
      throw new IllegalArgumentException("gapTimeout: " + gapTimeout + " (expected: >= 1)");
    }
    if (retransmitTimeout < 1) {
      throw new IllegalArgumentException("retransmitTimeout: " + retransmitTimeout
          + " (expected: >= 1)");
    }
    Objects.requireNonNull(fsync, "fsync");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link LoggerConfig}. */
  public static final class Builder {
    private int bufferSize = DEFAULT_BUFFER_SIZE;
    private int gapTimeout = DEFAULT_GAP_TIMEOUT;
    private int retransmitTimeout = DEFAULT_RETRANSMIT_TIMEOUT;
    private FsyncPolicy fsync = DEFAULT_FSYNC;

    private Builder() {}

    /** Packets held back at most, 0..{@value #MAX_BUFFER_SIZE} (default 30). */
    public Builder bufferSize(int n) {
      this.bufferSize = n;
      return this;
    }

    /** Packets before a missing sequence is requested, {@code >= 1} (default 12). */
    public Builder gapTimeout(int packets) {
      this.gapTimeout = packets;
      return this;
    }

    /** Packets before an unanswered request stops holding back the buffer (default 4). */
    public Builder retransmitTimeout(int packets) {
      this.retransmitTimeout = packets;
      return this;
    }

    /** When to force written lines (default every 100 ms). */
    public Builder fsync(FsyncPolicy policy) {
      this.fsync = policy;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public LoggerConfig build() {
      return new LoggerConfig(bufferSize, gapTimeout, retransmitTimeout, fsync);
    }
  }
}

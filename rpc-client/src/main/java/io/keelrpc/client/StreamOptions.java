package io.keelrpc.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one streaming call. Anything left unset takes the client's default. Immutable; build
 * with {@link #builder()}.
 *
 * <pre>{@code
 * StreamOptions opts = StreamOptions.builder()
 *     .idleTimeout(Duration.ofSeconds(5))   // TIMEOUT when the server is silent this long
 *     .window(256)                          // items the server may send ahead of the reader
 *     .deadline(Duration.ofMinutes(10))     // the whole stream (default: none)
 *     .build();
 * try (KeelStream<Tick> ticks = client.serverStream(TICKS, params, opts)) { ... }
 * }</pre>
 */
public final class StreamOptions {
  /** Options that leave everything to the client's defaults. */
  public static final StreamOptions DEFAULTS = builder().build();
  /**
   * Default {@link Builder#window(int)}: 64 items.
   */
  public static final int DEFAULT_WINDOW = 64;
  /** Largest {@link Builder#window(int)}: 1 048 576 items. */
  public static final int MAX_WINDOW = 1 << 20;

  private final Duration idleTimeout;
  private final int window;
  private final Duration deadline;

  private StreamOptions(Builder b) {
    this.idleTimeout = b.idleTimeout;
    this.window = b.window;
    this.deadline = b.deadline;
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The idle timeout, or {@code null} for the client's
   * {@link KeelClient.Builder#streamIdleTimeout(Duration) default}.
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The receive window in items ({@link #DEFAULT_WINDOW} unless set). */
  public int window() {
    return window;
  }

  /** The whole stream's budget, or {@code null} for none. */
  public Duration deadline() {
    return deadline;
  }

  /** Builds {@link StreamOptions}; each setter validates at once. */
  public static final class Builder {
    private Duration idleTimeout;
    private int window = DEFAULT_WINDOW;
    private Duration deadline;

    private Builder() {}

    /**
     * How long the caller may wait for the server with nothing arriving from it before the stream
     * fails with {@link io.keelrpc.core.StreamIdleTimeoutException} (and is cancelled on the
     * server). The clock runs only while the caller waits: in {@code next()} for an item, in
     * {@code send()} for credit, or for the final answer; every message from the server restarts
     * it. A reader that stops reading does not time out: the server, out of credit, is not
     * expected to send. Default: the client's {@code streamIdleTimeout} (30 s).
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive("idleTimeout", idleTimeout);
      return this;
    }

    /**
     * The credit the client grants the server: at most this many items are sent ahead of the
     * reader, so at most this many wait in the client's buffer (default
     * {@value #DEFAULT_WINDOW}). Credit is returned in batches of half the window as the reader
     * takes items. Ignored by client streams, in which the server sends no items.
     */
    public Builder window(int window) {
      if (window < 1 || window > MAX_WINDOW) {
        throw new IllegalArgumentException("window: " + window + " (expected: 1.." + MAX_WINDOW
            + ")");
      }
      this.window = window;
      return this;
    }

    /**
     * The budget of the whole stream, sent as {@code meta.timeoutMs}; when it passes the stream
     * fails with {@link io.keelrpc.core.DeadlineExceededException} and is cancelled on the server.
     * Default none: a stream may run as long as it is not idle (the client's default call
     * {@code deadline} does not apply to streams). A stream opened while serving a call never gets
     * more than that call has left.
     */
    public Builder deadline(Duration deadline) {
      this.deadline = positive("deadline", deadline);
      return this;
    }

    /** The options. */
    public StreamOptions build() {
      return new StreamOptions(this);
    }

    static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}

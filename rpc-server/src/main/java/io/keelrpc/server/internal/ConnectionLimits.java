package io.keelrpc.server.internal;

import io.keelrpc.core.time.Ticker;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide limits that protect a server from its connections, and the count of open
 * connections they apply to. Each connection gets its own {@link ConnectionGuard} (named
 * {@value #HANDLER_NAME}, placed in front of the protocol sniffer) from {@link #newGuard()}.
 *
 * <ul>
 *   <li>{@code maxConnections}: a connection beyond it is accepted and closed at once, before a
 *       byte is read or written; the peer sees the connection closed (EOF or reset).
 *   <li>{@code firstFrameTimeout}: a connection must deliver its first complete frame within it.
 *   <li>{@code frameReadTimeout}: a frame must complete within it, measured from its first byte
 *       (a slowloris peer that trickles bytes is cut off). The clock does not run against a
 *       connection the server has stopped reading (its in-flight limit).
 *   <li>{@code idleTimeout}: a connection with no traffic either way and nothing in flight for
 *       this long is closed.
 *   <li>{@code maxStreamsPerConnection} and {@code maxStreamCredit}: read by the stream machinery.
 * </ul>
 *
 * <p>A zero duration means no timeout. Timers run on the connection's event loop; elapsed time is
 * read from the server's {@link Ticker}.
 */
public final class ConnectionLimits {
  /** The guard's name in the pipeline. */
  public static final String HANDLER_NAME = "limits";

  /** A connection's protocol endpoint that can tell whether calls are in flight. */
  interface Busy {
    /** True while a request of the connection is unanswered (or waiting to be dispatched). */
    boolean busy();
  }

  private final int maxConnections;
  private final Duration idleTimeout;
  private final Duration firstFrameTimeout;
  private final Duration frameReadTimeout;
  private final int maxStreamsPerConnection;
  private final int maxStreamCredit;
  private final Duration overloadRetryAfter;
  private final Ticker ticker;
  private final AtomicInteger open = new AtomicInteger();

  /** Limits as validated by {@link io.keelrpc.server.KeelServer.Builder}. */
  public ConnectionLimits(int maxConnections, Duration idleTimeout, Duration firstFrameTimeout,
      Duration frameReadTimeout, int maxStreamsPerConnection, int maxStreamCredit,
      Duration overloadRetryAfter, Ticker ticker) {
    this.overloadRetryAfter = overloadRetryAfter;
    this.maxConnections = maxConnections;
    this.idleTimeout = idleTimeout;
    this.firstFrameTimeout = firstFrameTimeout;
    this.frameReadTimeout = frameReadTimeout;
    this.maxStreamsPerConnection = maxStreamsPerConnection;
    this.maxStreamCredit = maxStreamCredit;
    this.ticker = ticker;
  }

  /** A guard for one new connection. */
  ChannelHandler newGuard() {
    return new ConnectionGuard(this);
  }

  /** Connections open now, refused ones included until they are closed. */
  public int openConnections() {
    return open.get();
  }

  /** Counts a connection in; false if it exceeds {@code maxConnections} (it must be closed). */
  boolean admit() {
    return open.incrementAndGet() <= maxConnections;
  }

  void closed() {
    open.decrementAndGet();
  }

  int maxConnections() {
    return maxConnections;
  }

  long idleTimeoutNanos() {
    return idleTimeout.toNanos();
  }

  long firstFrameTimeoutNanos() {
    return firstFrameTimeout.toNanos();
  }

  long frameReadTimeoutNanos() {
    return frameReadTimeout.toNanos();
  }

  int maxStreamsPerConnection() {
    return maxStreamsPerConnection;
  }

  int maxStreamCredit() {
    return maxStreamCredit;
  }

  Duration overloadRetryAfter() {
    return overloadRetryAfter;
  }

  Ticker ticker() {
    return ticker;
  }
}

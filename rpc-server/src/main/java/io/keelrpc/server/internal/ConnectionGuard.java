package io.keelrpc.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's enforcement of {@link ConnectionLimits}: the first handler behind any TLS
 * handler, in front of the protocol sniffer. It counts the connection in (closing it at once if
 * over {@code maxConnections}), watches the bytes go by without consuming them, and closes the
 * connection when a timeout passes. Everything runs on the channel's event loop.
 *
 * <p>To time frames it follows frame boundaries itself, protocol by protocol, so that it needs
 * nothing from the decoders behind it:
 *
 * <pre>
 * keel/1   +--------+----------------+   a frame starts with its first length byte and
 *          | length | payload        |   completes with its last payload byte
 *          | 4 B BE | length bytes   |
 *          +--------+----------------+
 * Go       {"method":...}\n              a line starts with any byte after a '\n' and
 *                                        completes with its '\n'
 * HTTP     POST /rpc HTTP/1.1 ...        a request starts with a read after the last one ended
 *                                        and completes when the HTTP decoder has read all of
 *                                        it, body included ({@link #httpRequestRead()})
 * </pre>
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final int UNKNOWN = 0;
  private static final int KEEL_1 = 1;
  private static final int GO = 2;
  private static final int HTTP = 3;

  private final ConnectionLimits limits;
  private final ServerObserver observer;
  private ChannelHandlerContext ctx;
  private int protocol = UNKNOWN;
  private int lengthBytesSeen; // of the current keel/1 frame's length prefix
  private long length;
  private long payloadLeft;
  private boolean firstFrameDone;
  private long lastActivity;
  private ScheduledFuture<?> firstFrameTimer;
  private ScheduledFuture<?> frameTimer;
  private ScheduledFuture<?> idleTimer;

  ConnectionGuard(ConnectionLimits limits) {
    this(limits, ServerObserver.NONE);
  }

  ConnectionGuard(ConnectionLimits limits, ServerObserver observer) {
    this.limits = limits;
    this.observer = observer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    ctx.channel().closeFuture().addListener(f -> limits.closed());
    if (!limits.admit()) {
      log.debug("refusing {}: {} connections open (maxConnections {})", ctx.channel(),
          limits.openConnections() - 1, limits.maxConnections());
      ctx.channel().close();
      return;
    }
    if (!observer.isNone()) {
      SocketAddress remote = ctx.channel().remoteAddress();
      observer.connectionOpened(remote);
      ctx.channel().closeFuture().addListener(f -> observer.connectionClosed(remote));
    }
    lastActivity = limits.ticker().nanoTime();
    if (limits.firstFrameTimeoutNanos() > 0) {
      firstFrameTimer = schedule(this::firstFrameTimedOut, limits.firstFrameTimeoutNanos());
    }
    if (limits.idleTimeoutNanos() > 0) {
      idleTimer = schedule(this::idleCheck, limits.idleTimeoutNanos());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf && buf.isReadable()) {
      lastActivity = limits.ticker().nanoTime();
      observe(buf);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    lastActivity = limits.ticker().nanoTime();
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimers();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimers();
  }

  private void cancelTimers() {
    firstFrameTimer = cancel(firstFrameTimer);
    frameTimer = cancel(frameTimer);
    idleTimer = cancel(idleTimer);
  }

  /** Follows frame boundaries through {@code buf} without moving its indices. */
  private void observe(ByteBuf buf) {
    int from = buf.readerIndex();
    int to = buf.writerIndex();
    if (protocol == UNKNOWN) {
      protocol = buf.getByte(from) == '{' ? GO : KEEL_1;
    }
    boolean completed;
    boolean partial;
    if (protocol == GO) {
      completed = buf.indexOf(from, to, (byte) '\n') >= 0;
      partial = buf.getByte(to - 1) != '\n';
    } else if (protocol == HTTP) {
      completed = false; // told by httpRequestRead(), after this read has been decoded
      partial = true;
    } else {
      completed = false;
      int i = from;
      while (i < to) {
        if (lengthBytesSeen < 4) {
          length = length << 8 | (buf.getByte(i++) & 0xFF);
          if (++lengthBytesSeen == 4) {
            payloadLeft = length;
          }
        } else {
          long take = Math.min(payloadLeft, to - i);
          i += (int) take;
          payloadLeft -= take;
        }
        if (lengthBytesSeen == 4 && payloadLeft == 0) {
          completed = true;
          lengthBytesSeen = 0;
          length = 0;
        }
      }
      partial = lengthBytesSeen > 0;
    }
    if (completed && !firstFrameDone) {
      firstFrameDone = true;
      firstFrameTimer = cancel(firstFrameTimer);
    }
    if (limits.frameReadTimeoutNanos() <= 0) {
      return;
    }
    if (!partial) {
      frameTimer = cancel(frameTimer);
    } else if (frameTimer == null || completed) {
      // a frame started in this read: its clock starts now
      cancel(frameTimer);
      frameTimer = schedule(this::frameTimedOut, limits.frameReadTimeoutNanos());
    }
  }

  /**
   * The sniffer found HTTP/1.x: the bytes seen so far (followed as {@code keel/1} until now) began
   * a request, and requests complete when the HTTP decoder says so.
   */
  void http() {
    protocol = HTTP;
    lengthBytesSeen = 0;
    length = 0;
    payloadLeft = 0;
    if (limits.frameReadTimeoutNanos() > 0 && frameTimer == null) {
      frameTimer = schedule(this::frameTimedOut, limits.frameReadTimeoutNanos());
    }
  }

  /** The HTTP decoder has read a whole request, body included: a complete frame. */
  void httpRequestRead() {
    if (!firstFrameDone) {
      firstFrameDone = true;
      firstFrameTimer = cancel(firstFrameTimer);
    }
    frameTimer = cancel(frameTimer);
  }

  private void firstFrameTimedOut() {
    firstFrameTimer = null;
    if (!firstFrameDone && ctx.channel().isActive()) {
      log.debug("closing {}: no complete frame within the first-frame timeout of {} ms",
          ctx.channel(), TimeUnit.NANOSECONDS.toMillis(limits.firstFrameTimeoutNanos()));
      ctx.close();
    }
  }

  private void frameTimedOut() {
    frameTimer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    if (!ctx.channel().config().isAutoRead()) {
      // the server is not reading this connection (in-flight limit): not the peer's fault
      frameTimer = schedule(this::frameTimedOut, limits.frameReadTimeoutNanos());
      return;
    }
    log.debug("closing {}: a frame did not complete within the frame read timeout of {} ms",
        ctx.channel(), TimeUnit.NANOSECONDS.toMillis(limits.frameReadTimeoutNanos()));
    ctx.close();
  }

  private void idleCheck() {
    idleTimer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long timeout = limits.idleTimeoutNanos();
    long idle = limits.ticker().nanoTime() - lastActivity;
    if (idle < timeout) {
      idleTimer = schedule(this::idleCheck, timeout - idle);
    } else if (busy()) {
      idleTimer = schedule(this::idleCheck, timeout);
    } else {
      log.debug("closing {}: idle for {} ms with nothing in flight", ctx.channel(),
          TimeUnit.NANOSECONDS.toMillis(idle));
      ctx.close();
    }
  }

  private boolean busy() {
    for (String name : new String[] {"keel", "go", HttpPipeline.HANDLER_NAME}) {
      ChannelHandler h = ctx.pipeline().get(name);
      if (h instanceof ConnectionLimits.Busy b && b.busy()) {
        return true;
      }
    }
    return false;
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private static ScheduledFuture<?> cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
    return null;
  }
}

package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's {@code keel/1} endpoint: reads frames, answers malformed ones with a typed
 * error and keeps the connection, hands requests to the {@link Dispatcher}, writes the answers,
 * and stops reading while the connection has too many requests in flight.
 *
 * <p>Turning auto-read off stops further socket reads, but one read may already hold more frames
 * than the limit allows; those wait here, in order, and are dispatched as answers go out. So at
 * most {@code maxInFlight} requests of one connection are ever dispatched at once.
 *
 * <p>Everything below runs on the channel's event loop: answers produced elsewhere (worker
 * threads, asynchronous handlers) arrive as one task each. Writes are flushed in batches: answers
 * written while a read is in progress are flushed when the read completes; others by one flush
 * task queued behind them, so answers that pile up in the event loop's queue share one flush.
 */
final class ServerChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ServerChannelHandler.class);

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final int maxInFlight;
  private ArrayDeque<Request> waiting; // created when a connection first exceeds its limit
  private final Runnable flushTask = this::flushNow;
  private ChannelHandlerContext ctx;
  private int inFlight;
  private boolean reading;
  private boolean flushPending;
  private boolean admittingWaiting;

  ServerChannelHandler(Dispatcher dispatcher, MessageCodec codec, int maxInFlight) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (msg instanceof BadFrame bad) {
      log.debug("closing {}: {}", ctx.channel(), bad.describe());
      ByteBuf answer = codec.writeError(ctx.alloc(), NullNode.getInstance(), true,
          new InvalidRequestException(bad.describe()
              + "; the connection is closed because the stream cannot be resynchronised")
              .toErrorObject());
      ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ByteBuf frame = (ByteBuf) msg;
    Request req;
    try {
      req = codec.readRequest(frame);
    } catch (MalformedMessageException e) {
      log.debug("malformed request on {}: {}", ctx.channel(), e.getMessage());
      ctx.write(codec.writeError(ctx.alloc(), e.id(), e.jsonrpc2(), e.error().toErrorObject()),
          ctx.voidPromise());
      flushPending = true;
      return;
    } finally {
      frame.release();
    }
    if (inFlight >= maxInFlight) {
      if (waiting == null) {
        waiting = new ArrayDeque<>();
      }
      waiting.add(req);
      return;
    }
    admit(req);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushNow();
    }
    ctx.fireChannelReadComplete();
  }

  /** Dispatches one request; on the event loop. */
  private void admit(Request req) {
    if (++inFlight >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    dispatcher.dispatch(req, this::respond);
  }

  /** The dispatcher's answer, from any thread. */
  private void respond(Request req, Outcome outcome) {
    if (ctx.executor().inEventLoop()) {
      answer(req, outcome);
      return;
    }
    try {
      ctx.executor().execute(() -> answer(req, outcome));
    } catch (RejectedExecutionException e) {
      log.debug("event loop of {} is shut down; answer dropped", ctx.channel());
    }
  }

  /** Writes one answer and does the in-flight accounting; on the event loop. */
  private void answer(Request req, Outcome outcome) {
    if (!req.isNotification() && ctx.channel().isActive()) {
      ctx.write(codec.writeRaw(ctx.alloc(), req.id(), req.jsonrpc2(), outcome.error(),
          outcome.json()), ctx.voidPromise());
      if (!flushPending) {
        flushPending = true;
        if (!reading) {
          ctx.executor().execute(flushTask);
        }
      }
    }
    answered();
  }

  private void flushNow() {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
  }

  /** One request of this connection was answered; on the event loop. */
  private void answered() {
    inFlight--;
    if (!ctx.channel().isActive()) {
      waiting = null;
      return;
    }
    if (!admittingWaiting && waiting != null && !waiting.isEmpty()) {
      // Answers of handlers that complete at once arrive inside admit(); the flag keeps them
      // from admitting recursively, and this loop picks up the slots they free.
      admittingWaiting = true;
      try {
        while (inFlight < maxInFlight && !waiting.isEmpty()) {
          admit(waiting.poll());
        }
      } finally {
        admittingWaiting = false;
      }
    }
    if (inFlight < maxInFlight && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting = null;
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {} after an error", ctx.channel(), cause);
    ctx.close();
  }
}

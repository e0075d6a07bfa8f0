package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
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
 * most {@code maxInFlight} requests of one connection are ever dispatched at once. The in-flight
 * count and the waiting queue are touched only on the channel's event loop.
 */
final class ServerChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ServerChannelHandler.class);

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final int maxInFlight;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private int inFlight;
  private Channel channel;

  ServerChannelHandler(Dispatcher dispatcher, MessageCodec codec, int maxInFlight) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
      ctx.writeAndFlush(codec.writeError(ctx.alloc(), e.id(), e.jsonrpc2(),
          e.error().toErrorObject()));
      return;
    } finally {
      frame.release();
    }
    if (inFlight >= maxInFlight) {
      waiting.add(req);
      return;
    }
    admit(req);
  }

  /** Dispatches one request; runs on the event loop. */
  private void admit(Request req) {
    if (++inFlight >= maxInFlight) {
      channel.config().setAutoRead(false);
    }
    dispatcher.dispatch(req, this::respond);
  }

  private void respond(Request req, Outcome outcome) {
    if (!req.isNotification()) {
      channel.writeAndFlush(codec.writeRaw(channel.alloc(), req.id(), req.jsonrpc2(),
          outcome.error(), outcome.json()), channel.voidPromise());
    }
    try {
      // Always a new task, even on the event loop: no re-entry into dispatch from dispatch.
      channel.eventLoop().execute(this::answered);
    } catch (RejectedExecutionException e) {
      log.debug("event loop of {} is shut down; answer accounting skipped", channel);
    }
  }

  /** One request of this connection was answered; runs on the event loop. */
  private void answered() {
    inFlight--;
    if (!channel.isActive()) {
      waiting.clear();
      return;
    }
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      admit(waiting.poll());
    }
    if (inFlight < maxInFlight && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {} after an error", ctx.channel(), cause);
    ctx.close();
  }
}

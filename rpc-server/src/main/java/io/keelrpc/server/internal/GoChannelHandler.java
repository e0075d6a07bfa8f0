package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a Go {@code net/rpc/jsonrpc} client: reads one JSON-RPC 1.0 request per line
 * (a {@link io.netty.handler.codec.LineBasedFrameDecoder} in front splits them), hands each to
 * the same {@link Dispatcher} as {@code keel/1}, and writes each answer as Go's server would
 * ({@link GoWire}).
 *
 * <pre>
 * in   {"method":"Counter.Inc","params":[{"key":"a","delta":2}],"id":0}\n
 * out  {"id":0,"result":{"key":"a","value":2},"error":null}\n
 * </pre>
 *
 * <p>Requests are read as {@code keel/1} reads them (so {@code params} may be an object too, and a
 * {@code meta} member is honoured), with two of Go's conventions on top: every request is answered,
 * a missing id with {@code "id":null} (JSON-RPC 1.0 has no notifications that Go sends), and
 * {@code "params":[null]} or {@code []} (a Go call with nil args) count as no params. A line that
 * is not a request gets an error line and the connection stays; a blank line is skipped; a line
 * longer than the server's {@code maxFrameBytes} gets one error line ({@code "id":null}) and the
 * connection is closed, since the rest of that line cannot be read. Answers go out in completion
 * order, matched by id, so one connection carries many calls at once; at most
 * {@code maxInFlight} of them are dispatched, and the socket is not read while that many are.
 *
 * <p>Everything but {@link Pending#respond} runs on the channel's event loop.
 */
final class GoChannelHandler extends ChannelInboundHandlerAdapter
    implements ConnectionLimits.Busy {
  private static final Logger log = LoggerFactory.getLogger(GoChannelHandler.class);

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final int maxInFlight;
  private final int maxLineBytes;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final Runnable flushTask = this::flushNow;
  private ChannelHandlerContext ctx;
  private int inFlight;
  private boolean reading;
  private boolean flushPending;
  private boolean admittingWaiting;
  private boolean closing;

  GoChannelHandler(Dispatcher dispatcher, MessageCodec codec, int maxInFlight, int maxLineBytes) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.maxInFlight = maxInFlight;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public boolean busy() {
    return inFlight > 0 || !waiting.isEmpty();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ByteBuf line = (ByteBuf) msg;
    Request req;
    try {
      if (closing || isBlank(line)) {
        return;
      }
      req = codec.readRequest(line);
    } catch (MalformedMessageException e) {
      log.debug("malformed Go request on {}: {}", ctx.channel(), e.getMessage());
      write(GoWire.error(ctx.alloc(), codec, e.id(), e.getMessage()));
      return;
    } finally {
      line.release();
    }
    Pending p = new Pending(goConventions(req));
    if (inFlight >= maxInFlight) {
      waiting.add(p);
      return;
    }
    admit(p);
  }

  /** Every request is answered (id null if absent); params {@code [null]} or {@code []} are none. */
  private Request goConventions(Request req) {
    JsonNode id = req.id() == null ? NullNode.getInstance() : req.id();
    byte[] params = req.params();
    if (params != null && params.length <= 16 && params[0] == '[') {
      try {
        JsonNode array = codec.mapper().readTree(params);
        if (array.isEmpty() || (array.size() == 1 && array.get(0).isNull())) {
          params = null;
        }
      } catch (IOException e) {
        throw new IllegalStateException("params bytes were validated while reading", e);
      }
    }
    return id == req.id() && params == req.params() ? req
        : new Request(id, req.method(), params, req.meta(), req.jsonrpc2());
  }

  private static boolean isBlank(ByteBuf line) {
    for (int i = line.readerIndex(); i < line.writerIndex(); i++) {
      byte b = line.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private void admit(Pending p) {
    if (++inFlight >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    dispatcher.dispatch(p.req, p);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    flushNow();
    ctx.fireChannelReadComplete();
  }

  /** Writes one answer and does the in-flight accounting; on the event loop. */
  private void answer(Pending p, Outcome outcome) {
    if (!closing && ctx.channel().isActive()) {
      write(GoWire.answer(ctx.alloc(), codec, p.req.id(), outcome));
    }
    inFlight--;
    if (!ctx.channel().isActive()) {
      waiting.clear();
      return;
    }
    if (!admittingWaiting) {
      admittingWaiting = true; // answers that complete inside admit() must not recurse here
      try {
        while (inFlight < maxInFlight && !waiting.isEmpty()) {
          admit(waiting.poll());
        }
      } finally {
        admittingWaiting = false;
      }
    }
    if (inFlight < maxInFlight && !closing && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Writes a line, flushed with the read in progress or by a task queued behind it. */
  private void write(ByteBuf line) {
    ctx.write(line, ctx.voidPromise());
    if (!flushPending) {
      flushPending = true;
      if (!reading) {
        ctx.executor().execute(flushTask);
      }
    }
  }

  private void flushNow() {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Calls already dispatched run on, as on keel/1; their answers are dropped.
    waiting.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException && !closing) {
      closing = true;
      waiting.clear();
      log.debug("closing {}: a request line is longer than {} bytes", ctx.channel(), maxLineBytes);
      flushNow();
      ctx.writeAndFlush(GoWire.error(ctx.alloc(), codec, NullNode.getInstance(),
          "request line longer than " + maxLineBytes + " bytes; the connection is closed because "
              + "the rest of the line cannot be read"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    log.debug("closing {} after an error", ctx.channel(), cause);
    ctx.close();
  }

  /** One request from reading to answer, and its responder. */
  private final class Pending implements Dispatcher.Responder {
    final Request req;

    Pending(Request req) {
      this.req = req;
    }

    @Override
    public void respond(Request request, Outcome outcome) {
      EventLoops.runOn(ctx, () -> answer(this, outcome));
    }

    @Override
    public ConnectionInfo connection() {
      return ChannelConnection.of(ctx.channel());
    }
  }
}

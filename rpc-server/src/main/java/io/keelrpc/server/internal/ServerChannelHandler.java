package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.wire.CancelNotification;
import io.keelrpc.core.wire.FrameWriteQueue;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamMessage;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>Requests with a string or numeric id are tracked by id until answered, so that a
 * {@code $/cancel} notification naming that id can cancel them: one still waiting here is never
 * dispatched, one dispatched is cancelled through its {@link Dispatcher.Ticket}, and in every case
 * its answer is not written. A cancel for an id that is unknown or already answered is ignored. A
 * cancel is read like any frame: it is not held back by the in-flight limit, but it cannot
 * overtake frames the paused socket has not delivered yet.
 *
 * <p>A request with {@code meta.stream} and a string or numeric id opens a stream: it is admitted
 * like any request (it holds an in-flight slot until its answer, which ends it) and then dispatched
 * with a {@link ServerStreamLink}, through which the call writes its items and credit from its
 * worker thread and receives the caller's {@code $/stream/...} notifications, routed here by
 * stream id. A stream whose id is already open on the connection is refused (INVALID_REQUEST), as
 * is one beyond {@code maxStreamsPerConnection} (OVERLOADED, with the retry-after hint). When the connection
 * closes, its streams are cancelled (unlike ordinary calls, which run on): nobody can receive
 * their items any more. Other {@code $/} notifications are ignored.
 */
final class ServerChannelHandler extends ChannelInboundHandlerAdapter
    implements ConnectionLimits.Busy {
  private static final Logger log = LoggerFactory.getLogger(ServerChannelHandler.class);

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final int maxInFlight;
  private final int maxStreams;
  private final int maxStreamCredit;
  private final byte[] tooManyStreams; // the error object answering a stream beyond maxStreams
  private ArrayDeque<Pending> waiting; // created when a connection first exceeds its limit
  /** Unanswered requests with a cancellable id; requests sharing an id are chained. */
  private final HashMap<JsonNode, Pending> byId = new HashMap<>();
  /** Open streams by id; created with the connection's first stream. */
  private HashMap<JsonNode, ServerStreamLink> streams;
  private FrameWriteQueue streamWrites; // created with the first stream
  private final Runnable flushTask = this::flushNow;
  private ChannelHandlerContext ctx;
  private int inFlight;
  private boolean reading;
  private boolean flushPending;
  private boolean admittingWaiting;

  ServerChannelHandler(Dispatcher dispatcher, MessageCodec codec, int maxInFlight,
      ConnectionLimits limits) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.maxInFlight = maxInFlight;
    this.maxStreams = limits.maxStreamsPerConnection();
    this.maxStreamCredit = limits.maxStreamCredit();
    this.tooManyStreams = codec.errorBytes(OverloadedException.withRetryAfter(
        "too many streams open on this connection (maxStreamsPerConnection " + maxStreams
            + "); retry later", limits.overloadRetryAfter()).toErrorObject());
  }

  @Override
  public boolean busy() {
    return inFlight > 0 || (waiting != null && !waiting.isEmpty());
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
    if (req.isNotification() && req.method().startsWith(MethodDescriptor.RESERVED_PREFIX)) {
      protocolMessage(req);
      return;
    }
    Pending p = new Pending(req);
    if (req.meta().isStream() && cancellable(req.id()) && !openStream(p)) {
      return;
    }
    track(p);
    if (inFlight >= maxInFlight) {
      if (waiting == null) {
        waiting = new ArrayDeque<>();
      }
      waiting.add(p);
      return;
    }
    admit(p);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushNow();
    }
    ctx.fireChannelReadComplete();
  }

  /** {@code $/cancel}, {@code $/stream/...}; other {@code $/} notifications are ignored. */
  private void protocolMessage(Request req) {
    if (CancelNotification.is(req)) {
      cancel(CancelNotification.targetId(req, codec.mapper()));
      return;
    }
    StreamMessage m = StreamMessage.is(req) ? StreamMessage.read(req, codec) : null;
    ServerStreamLink link = m == null || streams == null ? null : streams.get(m.streamId());
    if (link == null) {
      log.debug("ignoring {} on {}: {}", req.method(), ctx.channel(),
          m == null ? "not a known protocol message, or no stream id" : "no open stream "
              + m.streamId());
      return;
    }
    link.onMessage(m);
  }

  /**
   * Gives a request that opens a stream its link, routed from now on; false (and answered) if a
   * stream with its id is already open on this connection.
   */
  private boolean openStream(Pending p) {
    JsonNode id = p.req.id();
    if (streams == null) {
      streams = new HashMap<>();
      // streams write from their workers: frames queued meanwhile share a task and a flush
      streamWrites = new FrameWriteQueue(ctx, ctx.executor(), ctx.alloc());
    } else if (streams.containsKey(id)) {
      ctx.write(codec.writeError(ctx.alloc(), id, p.req.jsonrpc2(), new InvalidRequestException(
          "a stream with id " + id + " is already open on this connection").toErrorObject()),
          ctx.voidPromise());
      flushSoon();
      return false;
    }
    if (streams.size() >= maxStreams) {
      ctx.write(codec.writeRaw(ctx.alloc(), id, p.req.jsonrpc2(), true, tooManyStreams),
          ctx.voidPromise());
      flushSoon();
      return false;
    }
    p.link = new ServerStreamLink(p.req, streamWrites, codec, maxStreamCredit);
    streams.put(id, p.link);
    return true;
  }

  private void closeStream(Pending p) {
    if (p.link != null && streams != null) {
      streams.remove(p.req.id(), p.link);
    }
  }

  /** Dispatches one request, unless it was cancelled while it waited; on the event loop. */
  private void admit(Pending p) {
    if (p.cancelled) {
      closeStream(p);
      untrack(p);
      log.debug("request {} on {} was cancelled before it was dispatched", p.req.id(),
          ctx.channel());
      return;
    }
    if (++inFlight >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    p.ticket = p.link == null ? dispatcher.dispatch(p.req, p)
        : dispatcher.dispatchStream(p.req, p, p.link);
  }

  /** Cancels every unanswered request of this connection with id {@code id}; on the event loop. */
  private void cancel(JsonNode id) {
    if (id == null) {
      log.debug("ignoring a $/cancel on {} that names no string or numeric id", ctx.channel());
      return;
    }
    Pending p = byId.get(id);
    if (p == null) {
      log.debug("ignoring a $/cancel on {} for {}: unknown or already answered", ctx.channel(), id);
    }
    while (p != null) {
      Pending next = p.next; // cancelling may answer p at once, which unlinks it
      if (!p.cancelled) {
        p.cancelled = true;
        if (p.ticket != null) {
          p.ticket.cancel();
        }
      }
      p = next;
    }
  }

  private static boolean cancellable(JsonNode id) {
    return id != null && (id.isTextual() || id.isNumber());
  }

  private void track(Pending p) {
    JsonNode id = p.req.id();
    if (cancellable(id)) {
      p.next = byId.put(id, p);
    }
  }

  private void untrack(Pending p) {
    JsonNode id = p.req.id();
    if (!cancellable(id)) {
      return;
    }
    Pending head = byId.get(id);
    if (head == p) {
      if (p.next == null) {
        byId.remove(id);
      } else {
        byId.put(id, p.next);
      }
      return;
    }
    for (Pending q = head; q != null; q = q.next) {
      if (q.next == p) {
        q.next = p.next;
        return;
      }
    }
  }

  /** The dispatcher's answer, from any thread. */
  private void respond(Pending p, Outcome outcome) {
    EventLoops.runOn(ctx, () -> answer(p, outcome));
  }

  /** Writes one answer (unless cancelled) and does the in-flight accounting; on the event loop. */
  private void answer(Pending p, Outcome outcome) {
    Request req = p.req;
    untrack(p);
    closeStream(p);
    if (p.cancelled) {
      log.debug("answer to cancelled request {} on {} not sent", req.id(), ctx.channel());
    } else if (!req.isNotification() && ctx.channel().isActive()) {
      ctx.write(codec.writeRaw(ctx.alloc(), req.id(), req.jsonrpc2(), outcome.error(),
          outcome.json()), ctx.voidPromise());
      flushSoon();
    }
    answered();
  }

  /** Flushes when the read completes, or by a task behind the writes queued now; on the loop. */
  private void flushSoon() {
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
    // Calls already dispatched run on: a connection that drops does not cancel them (the caller
    // may retry on a new connection and join the execution). Streams are cancelled: nobody can
    // receive their items any more.
    if (streams != null) {
      List<ServerStreamLink> open = new ArrayList<>(streams.values());
      streams = null;
      open.forEach(ServerStreamLink::connectionLost);
    }
    waiting = null;
    byId.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {} after an error", ctx.channel(), cause);
    ctx.close();
  }

  /**
   * One request of this connection from reading to answer, and its responder. Fields other than
   * {@code req} are touched on the event loop only.
   */
  private final class Pending implements Dispatcher.Responder {
    final Request req;
    Pending next; // an older unanswered request with the same id
    Dispatcher.Ticket ticket; // set once dispatched
    ServerStreamLink link; // set if the request opens a stream
    boolean cancelled;

    Pending(Request req) {
      this.req = req;
    }

    @Override
    public void respond(Request request, Outcome outcome) {
      ServerChannelHandler.this.respond(this, outcome);
    }

    @Override
    public io.keelrpc.server.ConnectionInfo connection() {
      return ChannelConnection.of(ctx.channel());
    }
  }
}

package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.ParseErrorException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.idempotency.Outcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.x connection's endpoint: routes each whole request ({@link HttpPipeline} aggregates
 * them), hands {@code POST /rpc} bodies to the same {@link Dispatcher} as {@code keel/1}, and
 * answers {@code /health} and {@code /metrics} itself ({@link HttpRoutes}).
 *
 * <p>Requests may be pipelined: each gets a slot in arrival order and answers go out in that
 * order, each as soon as it and those before it are ready. At most {@code maxInFlight} requests
 * wait for their answers; the socket is not read while that many do. After a request that asks
 * to close the connection (HTTP/1.0 without keep-alive, {@code Connection: close}) further
 * requests are ignored, and the connection closes once its answer is written.
 *
 * <p>Everything but {@link Exchange#respond} runs on the channel's event loop.
 */
final class HttpChannelHandler extends ChannelInboundHandlerAdapter
    implements ConnectionLimits.Busy {
  private static final Logger log = LoggerFactory.getLogger(HttpChannelHandler.class);

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final HttpRoutes routes;
  private final int maxInFlight;
  private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean reading;
  private boolean flushPending;
  private boolean lastRequestRead;
  private boolean inactive;

  HttpChannelHandler(Dispatcher dispatcher, MessageCodec codec, HttpRoutes routes,
      int maxInFlight) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.routes = routes;
    this.maxInFlight = maxInFlight;
  }

  MessageCodec codec() {
    return codec;
  }

  @Override
  public boolean busy() {
    return !exchanges.isEmpty();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (lastRequestRead) {
      ReferenceCountUtil.release(msg instanceof HttpBodyAggregator.TooLarge t ? t.response() : msg);
      return;
    }
    if (msg instanceof HttpBodyAggregator.TooLarge tooLarge) {
      lastRequestRead = tooLarge.close();
      enqueue().complete(tooLarge.response());
      return;
    }
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      Exchange x = enqueue();
      if (req.decoderResult().isFailure()) {
        // the decoder discards everything after a bad message: answer it, then close
        lastRequestRead = true;
        FullHttpResponse bad = HttpAnswers.error(codec, HttpResponseStatus.BAD_REQUEST,
            "malformed HTTP request: " + req.decoderResult().cause().getMessage());
        HttpUtil.setKeepAlive(bad, false);
        x.complete(bad);
        return;
      }
      lastRequestRead = !HttpUtil.isKeepAlive(req);
      route(req, x);
    } finally {
      req.release();
    }
  }

  private Exchange enqueue() {
    Exchange x = new Exchange();
    exchanges.add(x);
    if (exchanges.size() >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    return x;
  }

  private void route(FullHttpRequest req, Exchange x) {
    String path = new QueryStringDecoder(req.uri()).path();
    HttpMethod method = req.method();
    if (!path.equals(HttpRoutes.RPC)) {
      x.complete(routes.get(path, method));
      return;
    }
    if (!method.equals(HttpMethod.POST)) {
      x.complete(HttpRoutes.methodNotAllowed(codec, path, method, "POST"));
      return;
    }
    Request r;
    try {
      if (!req.content().isReadable()) {
        throw new ParseErrorException("empty body: POST " + HttpRoutes.RPC
            + " takes one JSON-RPC request object");
      }
      r = HttpMeta.merge(codec.readRequest(req.content()), req.headers());
    } catch (MalformedMessageException e) {
      log.debug("malformed HTTP JSON-RPC request on {}: {}", ctx.channel(), e.getMessage());
      x.complete(HttpAnswers.jsonRpc(ctx.alloc(), codec, e.id(), e.jsonrpc2(), true,
          codec.errorBytes(e.error().toErrorObject())));
      return;
    } catch (ParseErrorException e) {
      x.complete(HttpAnswers.jsonRpc(ctx.alloc(), codec, NullNode.getInstance(), true, true,
          codec.errorBytes(e.toErrorObject())));
      return;
    } catch (InvalidRequestException e) {
      x.complete(errorAnswer(req, e));
      return;
    }
    if (r.meta().isStream()) {
      x.complete(HttpAnswers.jsonRpc(ctx.alloc(), codec, idOf(r), r.jsonrpc2(), true,
          codec.errorBytes(new InvalidRequestException("streams are not served over HTTP; open \""
              + r.method() + "\" on keel/1").toErrorObject())));
      return;
    }
    dispatcher.dispatch(r, x);
  }

  /** The answer to a request whose headers were bad: the body's id, read again, if it has one. */
  private FullHttpResponse errorAnswer(FullHttpRequest req, RpcException e) {
    Request body;
    try {
      body = codec.readRequest(req.content());
    } catch (MalformedMessageException unreadable) {
      body = null;
    }
    return HttpAnswers.jsonRpc(ctx.alloc(), codec, body == null ? NullNode.getInstance()
        : idOf(body), body == null || body.jsonrpc2(), true, codec.errorBytes(e.toErrorObject()));
  }

  private static JsonNode idOf(Request r) {
    return r.id() == null ? NullNode.getInstance() : r.id();
  }

  /** Writes the answers that are ready, in request order; on the event loop. */
  private void writeReady() {
    while (!exchanges.isEmpty() && exchanges.peek().response != null) {
      Exchange x = exchanges.poll();
      if (ctx.channel().isActive()) {
        ctx.write(x.response, ctx.voidPromise());
        flushPending = true;
      } else {
        x.response.release();
      }
    }
    if (flushPending && !reading) {
      flushPending = false;
      ctx.flush();
    }
    if (exchanges.size() < maxInFlight && !lastRequestRead
        && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Calls already dispatched run on, as on keel/1; their answers are dropped.
    inactive = true;
    for (Exchange x : exchanges) {
      if (x.response != null) {
        x.response.release();
        x.response = null;
      }
    }
    exchanges.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {} after an error", ctx.channel(), cause);
    ctx.close();
  }

  /** One request from reading to answer, and the dispatcher's responder for it. */
  private final class Exchange implements Dispatcher.Responder {
    FullHttpResponse response;

    /** Sets this request's answer and writes what is ready; on the event loop. */
    void complete(FullHttpResponse response) {
      if (inactive) {
        response.release();
        return;
      }
      this.response = response;
      writeReady();
    }

    @Override
    public void respond(Request req, Outcome outcome) {
      EventLoops.runOn(ctx, () -> answer(req, outcome));
    }

    private void answer(Request req, Outcome outcome) {
      complete(req.isNotification() ? HttpAnswers.noContent()
          : HttpAnswers.jsonRpc(ctx.alloc(), codec, req.id(), req.jsonrpc2(), outcome));
    }

    @Override
    public ConnectionInfo connection() {
      return ChannelConnection.of(ctx.channel());
    }
  }
}

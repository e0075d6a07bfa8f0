package io.keelrpc.server.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Installs the handlers of an HTTP/1.x connection behind the {@link ProtocolSniffer}:
 *
 * <pre>
 * http-codec      HttpServerCodec: bytes to request head + body chunks, responses to bytes
 * http-requests   tells the ConnectionGuard where each request ends (its timeouts)
 * http-keepalive  HttpServerKeepAliveHandler: Connection headers, closes after the last answer
 * http-body       HttpBodyAggregator: one FullHttpRequest per request, body up to maxFrameBytes
 *                 (413 beyond), 100-continue
 * http            HttpChannelHandler: routes, dispatch, answers in request order
 * </pre>
 */
final class HttpPipeline {
  /** The endpoint's name in the pipeline (the guard asks it whether calls are in flight). */
  static final String HANDLER_NAME = "http";
  /** Longest request line accepted (longer: 400 and close). */
  static final int MAX_INITIAL_LINE_BYTES = 4096;
  /** Longest header block accepted (longer: 400 and close); room for an 8 KiB Authorization. */
  static final int MAX_HEADER_BYTES = 16384;

  private HttpPipeline() {}

  /** Adds the HTTP handlers at the end of {@code p}, ending with {@code endpoint}. */
  static void install(ChannelPipeline p, HttpChannelHandler endpoint, int maxBodyBytes) {
    ChannelHandler g = p.get(ConnectionLimits.HANDLER_NAME);
    ConnectionGuard guard = g instanceof ConnectionGuard cg ? cg : null;
    if (guard != null) {
      guard.http();
    }
    p.addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192));
    p.addLast("http-requests", new RequestBoundaries(guard));
    p.addLast("http-keepalive", new HttpServerKeepAliveHandler());
    p.addLast("http-body", new HttpBodyAggregator(maxBodyBytes, endpoint.codec()));
    p.addLast(HANDLER_NAME, endpoint);
  }

  /** Reports the end of each decoded request (a body that is discarded too) to the guard. */
  private static final class RequestBoundaries extends ChannelInboundHandlerAdapter {
    private final ConnectionGuard guard;

    RequestBoundaries(ConnectionGuard guard) {
      this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (guard != null && msg instanceof LastHttpContent) {
        guard.httpRequestRead();
      }
      ctx.fireChannelRead(msg);
    }
  }
}

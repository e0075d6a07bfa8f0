package io.keelrpc.server.internal;

import io.keelrpc.core.wire.MessageCodec;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link HttpObjectAggregator} with the server's own 413: a JSON body saying what the
 * limit is. A request whose body is longer than {@code maxFrameBytes} (by its Content-Length, or
 * as its chunks arrive) never reaches the endpoint; instead the endpoint gets a
 * {@link TooLarge} in its place, so that the 413 goes out in request order. The rest of the body
 * is read and discarded and the connection stays usable, unless the request asked to close it
 * (then it is closed after the 413). With {@code Expect: 100-continue} the 413 replaces the
 * {@code 100 Continue} and the body is never sent.
 */
final class HttpBodyAggregator extends HttpObjectAggregator {
  private final MessageCodec codec;

  HttpBodyAggregator(int maxBodyBytes, MessageCodec codec) {
    super(maxBodyBytes);
    this.codec = codec;
  }

  /** Stands for a request whose body was too large: the endpoint answers it with its response. */
  record TooLarge(FullHttpResponse response, boolean close) {}

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength,
      ChannelPipeline pipeline) {
    Object r = super.newContinueResponse(start, maxContentLength, pipeline);
    if (r instanceof FullHttpResponse res
        && res.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(res);
      return tooLarge(start);
    }
    return r;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    // Unlike Netty's, a chunked body that grew too large does not close the connection either:
    // the aggregator discards the rest of it, so the next request is read as usual.
    boolean close = !HttpUtil.isKeepAlive(oversized);
    FullHttpResponse res = tooLarge(oversized);
    if (close) {
      HttpUtil.setKeepAlive(res, false);
    }
    ctx.fireChannelRead(new TooLarge(res, close));
  }

  private FullHttpResponse tooLarge(HttpMessage request) {
    long length = HttpUtil.getContentLength(request, -1L);
    return HttpAnswers.error(codec, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body "
        + (length >= 0 ? "of " + length + " bytes " : "")
        + "is larger than the server's limit of " + maxContentLength()
        + " bytes (maxFrameBytes); nothing was dispatched");
  }
}

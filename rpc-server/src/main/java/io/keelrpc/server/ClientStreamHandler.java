package io.keelrpc.server;

/**
 * A client-streaming method: a stream of items from the caller, one result back. It runs on the
 * server's worker pool and may block (typically in {@link InboundStream#next()}). What it returns
 * is the stream's result; an exception ends the stream with an error answer, as from a
 * {@link Handler}. It may return before the caller ended its items (items still coming are
 * dropped).
 *
 * @param <I> item type (the client's)
 * @param <R> result type
 */
@FunctionalInterface
public interface ClientStreamHandler<I, R> {
  /** Serves one stream. */
  R handle(InboundStream<I> in, CallContext context) throws Exception;
}

package io.keelrpc.server;

/**
 * A server-streaming method: one request with params, a stream of items back. It runs on the
 * server's worker pool and may block (typically in {@link ServerStream#send}). When it returns,
 * the stream ends with a {@code null} result; an exception ends it with an error answer, as from
 * a {@link Handler}. It should stop when the caller cancels ({@link CallContext#isCancelled()};
 * {@code send} then throws).
 *
 * @param <P> params type
 * @param <T> item type
 */
@FunctionalInterface
public interface ServerStreamHandler<P, T> {
  /** Serves one stream. */
  void handle(P params, ServerStream<T> out, CallContext context) throws Exception;
}

package io.keelrpc.server;

/**
 * A bidirectional streaming method: items flow both ways at once. It runs on the server's worker
 * pool and may block. When it returns, the stream ends with a {@code null} result (items the
 * caller still sends are dropped); an exception ends it with an error answer, as from a
 * {@link Handler}.
 *
 * <pre>{@code
 * .handleBidiStream(ECHO, (in, out, ctx) -> {
 *   for (String s : in) {
 *     out.send(s.toUpperCase());
 *   }
 * })
 * }</pre>
 *
 * @param <I> item type of the caller
 * @param <O> item type of the server
 */
@FunctionalInterface
public interface BidiStreamHandler<I, O> {
  /** Serves one stream. */
  void handle(InboundStream<I> in, ServerStream<O> out, CallContext context) throws Exception;
}

package io.keelrpc.server;

import java.util.concurrent.CompletionStage;

/**
 * An asynchronous method implementation. It is invoked on the connection's I/O thread and must
 * not block there: return at once with a stage that completes later. A stage completed
 * exceptionally is answered like a thrown exception in {@link Handler}.
 *
 * @param <P> params type
 * @param <R> result type
 */
@FunctionalInterface
public interface AsyncHandler<P, R> {
  /** Starts one call and returns its eventual result. */
  CompletionStage<R> handle(P params, CallContext context);
}

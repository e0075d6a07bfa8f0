package io.keelrpc.server;

/**
 * A synchronous method implementation. It runs on the server's bounded worker pool, so it may
 * block. Throw an {@link io.keelrpc.core.RpcException} (e.g. an
 * {@link io.keelrpc.core.ApplicationException}) to answer with a typed error; any other exception
 * is answered INTERNAL_ERROR and logged, never sent to the peer.
 *
 * @param <P> params type
 * @param <R> result type
 */
@FunctionalInterface
public interface Handler<P, R> {
  /** Handles one call. */
  R handle(P params, CallContext context) throws Exception;
}

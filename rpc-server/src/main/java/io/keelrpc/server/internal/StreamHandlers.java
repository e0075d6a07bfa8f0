package io.keelrpc.server.internal;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.wire.StreamKind;
import io.keelrpc.server.BidiStreamHandler;
import io.keelrpc.server.ClientStreamHandler;
import io.keelrpc.server.InboundStream;
import io.keelrpc.server.ServerStream;
import io.keelrpc.server.ServerStreamHandler;
import java.util.Objects;

/**
 * Registrations of the three kinds of streaming handler. The descriptor's types say what flows:
 * for a server stream {@code <P, T>} are the params and the items sent; for client and
 * bidirectional streams the params type is the caller's item type, and the result type is the
 * result (client) or the server's item type (bidirectional).
 */
public final class StreamHandlers {
  /** Runs one streaming handler against its call; returns the stream's result. */
  @FunctionalInterface
  interface Invoker {
    Object invoke(Object params, StreamCall call) throws Exception;
  }

  private StreamHandlers() {}

  /** A server-streaming method. */
  public static <P, T> Registration<P, T> serverStream(MethodDescriptor<P, T> m,
      ServerStreamHandler<P, T> h) {
    Objects.requireNonNull(h, "handler");
    return Registration.stream(m, StreamKind.SERVER, (params, call) -> {
      h.handle(m.paramsType().cast(params), StreamHandlers.<T>out(call), call);
      return null;
    });
  }

  /** A client-streaming method. */
  public static <I, R> Registration<I, R> clientStream(MethodDescriptor<I, R> m,
      ClientStreamHandler<I, R> h) {
    Objects.requireNonNull(h, "handler");
    return Registration.stream(m, StreamKind.CLIENT,
        (params, call) -> h.handle(StreamHandlers.<I>in(call), call));
  }

  /** A bidirectional streaming method. */
  public static <I, O> Registration<I, O> bidiStream(MethodDescriptor<I, O> m,
      BidiStreamHandler<I, O> h) {
    Objects.requireNonNull(h, "handler");
    return Registration.stream(m, StreamKind.BIDI, (params, call) -> {
      h.handle(StreamHandlers.<I>in(call), StreamHandlers.<O>out(call), call);
      return null;
    });
  }

  // The call checks every item against the descriptor's types at run time: items it receives are
  // bound to the params type, items it sends are written as they are.
  @SuppressWarnings("unchecked")
  private static <T> ServerStream<T> out(StreamCall call) {
    return (ServerStream<T>) (ServerStream<?>) call.outbound();
  }

  @SuppressWarnings("unchecked")
  private static <T> InboundStream<T> in(StreamCall call) {
    return (InboundStream<T>) (InboundStream<?>) call.inbound();
  }
}

package io.keelrpc.bench.echo;

/** The server side of one echo implementation, bound to loopback. */
public interface EchoServer extends AutoCloseable {
  /** The bound port. */
  int port();

  /** Stops serving and releases every thread; bounded (a few seconds at most). */
  @Override
  void close();
}

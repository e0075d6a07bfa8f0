package io.keelrpc.bench.echo;

/**
 * The client side of one echo implementation: one connection (or one gRPC channel) that carries
 * every call, with any number of calls outstanding on it.
 */
public interface EchoClient extends AutoCloseable {
  /** Receives the outcome of one call, exactly once, possibly on an I/O thread (never block). */
  @FunctionalInterface
  interface Listener {
    /**
     * The call ended.
     *
     * @param failure {@code null} if the answer arrived and echoed the payload exactly; otherwise
     *     why not (a transport failure, an error answer, or an {@link EchoMismatchException})
     */
    void done(Throwable failure);
  }

  /**
   * Starts one echo call of {@code payload}; the listener learns how it ended. Thread-safe; never
   * throws for a failed call (the listener gets the failure instead) and never blocks.
   */
  void call(Payload payload, Listener listener);

  /** Closes the connection; calls still outstanding fail. Bounded (a few seconds at most). */
  @Override
  void close();
}

package io.keelrpc.bench.echo;

/** An answer arrived but did not echo the payload that was sent. */
public final class EchoMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EchoMismatchException(String message) {
    super(message, null, false, false);
  }
}

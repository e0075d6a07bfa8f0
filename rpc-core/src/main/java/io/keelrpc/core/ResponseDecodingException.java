package io.keelrpc.core;

/**
 * An answer arrived but its result does not bind to the caller's result type: the two sides
 * disagree on the method's contract. Never retried.
 */
public class ResponseDecodingException extends KeelException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure naming the method and the expected type. */
  public ResponseDecodingException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.NEVER;
  }
}

package io.keelrpc.core;

/** The client was closed while the call was pending or before it started; never retried. */
public class ClientClosedException extends KeelException {
  private static final long serialVersionUID = 1L;

  /** Creates the failure with a message naming what was closed. */
  public ClientClosedException(String message) {
    super(message, null);
  }

  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.NEVER;
  }
}

package io.keelrpc.core;

/**
 * The connection failed: it could not be opened, or it closed before the answer came.
 *
 * <p>{@link #requestSent()} tells the two apart for retries: a request never written cannot have
 * run ({@link RetrySafety#ALWAYS}); one written may have ({@link RetrySafety#IF_IDEMPOTENT}).
 */
public class TransportException extends KeelException {
  private static final long serialVersionUID = 1L;

  private final boolean requestSent;

  /** Creates the failure; {@code requestSent} says whether the request may have reached the peer. */
  public TransportException(String message, boolean requestSent, Throwable cause) {
    super(message, cause);
    this.requestSent = requestSent;
  }

  /** True if the request was written before the failure, so it may have run. */
  public boolean requestSent() {
    return requestSent;
  }

  @Override
  public RetrySafety retrySafety() {
    return requestSent ? RetrySafety.IF_IDEMPOTENT : RetrySafety.ALWAYS;
  }
}

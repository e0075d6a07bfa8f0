package io.keelrpc.core;

/**
 * Base type of every failure Keel reports.
 *
 * <p>The tree is small: {@link RpcException} for error answers received over the wire (one
 * subclass per {@link ErrorCode}, plus {@link ApplicationException}), {@link TransportException}
 * for connections that failed, and {@link AttemptTimeoutException} for attempts that got no answer
 * in time. Whether a retry is safe is a property of the failure: {@link #retrySafety()}.
 */
public abstract class KeelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure. A {@code null} cause leaves the cause unset, so that it can still be
   * attached later with {@link #initCause(Throwable)}.
   */
  protected KeelException(String message, Throwable cause) {
    super(message);
    if (cause != null) {
      initCause(cause);
    }
  }

  /** Whether the failed call may be sent again; see {@link RetrySafety}. */
  public abstract RetrySafety retrySafety();
}

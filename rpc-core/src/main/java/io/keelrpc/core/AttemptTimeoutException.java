package io.keelrpc.core;

import java.time.Duration;

/**
 * One attempt got no answer within its per-attempt timeout. The request may have run, so it is
 * retried only for idempotent calls ({@link RetrySafety#IF_IDEMPOTENT}). When the whole call's
 * deadline runs out the client reports {@link DeadlineExceededException} instead.
 */
public class AttemptTimeoutException extends KeelException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** Creates the failure for an attempt that waited {@code timeout}. */
  public AttemptTimeoutException(Duration timeout) {
    super("no answer within the per-attempt timeout of " + timeout.toMillis() + " ms", null);
    this.timeout = timeout;
  }

  /** How long the attempt waited. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.IF_IDEMPOTENT;
  }
}

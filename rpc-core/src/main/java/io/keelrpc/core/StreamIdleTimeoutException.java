package io.keelrpc.core;

import java.time.Duration;

/**
 * Nothing arrived on a stream within its idle timeout while the caller waited for its peer (for
 * an item, for credit to send, or for the final answer). The Keel client cancels the stream on the
 * server when it reports this. Streams are never retried automatically; the stream may have had
 * effects, so a caller that opens it again must know that is safe
 * ({@link RetrySafety#IF_IDEMPOTENT}).
 */
public class StreamIdleTimeoutException extends KeelException {
  private static final long serialVersionUID = 1L;

  private final Duration idleTimeout;

  /** Creates the failure of a stream {@code method} that was idle for {@code idleTimeout}. */
  public StreamIdleTimeoutException(String method, Duration idleTimeout) {
    super("stream \"" + method + "\": nothing arrived within the idle timeout of "
        + idleTimeout.toMillis() + " ms", null);
    this.idleTimeout = idleTimeout;
  }

  /** The idle timeout that passed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.IF_IDEMPOTENT;
  }
}

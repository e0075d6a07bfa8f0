package io.keelrpc.core;

/**
 * Whether a failed call may be sent again, as a property of the failure itself.
 *
 * <p>The client combines it with the call's own idempotency: {@link #ALWAYS} failures are retried
 * for every call, {@link #IF_IDEMPOTENT} failures only for calls marked idempotent or carrying an
 * idempotency key, {@link #NEVER} failures never.
 */
public enum RetrySafety {
  /** Nothing ran on the server (connection refused, OVERLOADED, UNAVAILABLE): always safe. */
  ALWAYS,
  /** The call may have run (timeout, connection lost after sending): safe only if idempotent. */
  IF_IDEMPOTENT,
  /** A definite answer or an exhausted budget: retrying cannot help. */
  NEVER;

  /** True if a call with the given idempotency may be retried after a failure of this kind. */
  public boolean allowsRetry(boolean idempotent) {
    return this == ALWAYS || (this == IF_IDEMPOTENT && idempotent);
  }
}

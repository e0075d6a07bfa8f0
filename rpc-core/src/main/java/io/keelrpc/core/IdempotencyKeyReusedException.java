package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#IDEMPOTENCY_KEY_REUSED}: the key was used before for a different method or params. */
public class IdempotencyKeyReusedException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public IdempotencyKeyReusedException(String message, JsonNode data) {
    super(ErrorCode.IDEMPOTENCY_KEY_REUSED, message, data);
  }

  /** Creates the error with a human message and no data. */
  public IdempotencyKeyReusedException(String message) {
    this(message, null);
  }
}

package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#INVALID_PARAMS}: params that do not bind to the handler's type. Handlers may throw it too. */
public class InvalidParamsException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public InvalidParamsException(String message, JsonNode data) {
    super(ErrorCode.INVALID_PARAMS, message, data);
  }

  /** Creates the error with a human message and no data. */
  public InvalidParamsException(String message) {
    this(message, null);
  }
}

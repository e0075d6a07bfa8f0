package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#UNAUTHENTICATED}: the caller could not be authenticated. */
public class UnauthenticatedException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public UnauthenticatedException(String message, JsonNode data) {
    super(ErrorCode.UNAUTHENTICATED, message, data);
  }

  /** Creates the error with a human message and no data. */
  public UnauthenticatedException(String message) {
    this(message, null);
  }
}

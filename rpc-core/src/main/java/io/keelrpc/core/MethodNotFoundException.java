package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#METHOD_NOT_FOUND}: no handler under that method name. */
public class MethodNotFoundException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public MethodNotFoundException(String message, JsonNode data) {
    super(ErrorCode.METHOD_NOT_FOUND, message, data);
  }

  /** Creates the error with a human message and no data. */
  public MethodNotFoundException(String message) {
    this(message, null);
  }
}

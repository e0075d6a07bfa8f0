package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#CANCELLED}: the caller cancelled the call. */
public class CancelledException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public CancelledException(String message, JsonNode data) {
    super(ErrorCode.CANCELLED, message, data);
  }

  /** Creates the error with a human message and no data. */
  public CancelledException(String message) {
    this(message, null);
  }
}

package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#UNAVAILABLE}: the server is shutting down or draining; nothing ran. */
public class UnavailableException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public UnavailableException(String message, JsonNode data) {
    super(ErrorCode.UNAVAILABLE, message, data);
  }

  /** Creates the error with a human message and no data. */
  public UnavailableException(String message) {
    this(message, null);
  }
}

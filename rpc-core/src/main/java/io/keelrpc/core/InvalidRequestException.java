package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#INVALID_REQUEST}: not a valid request object, or a bad frame length. */
public class InvalidRequestException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public InvalidRequestException(String message, JsonNode data) {
    super(ErrorCode.INVALID_REQUEST, message, data);
  }

  /** Creates the error with a human message and no data. */
  public InvalidRequestException(String message) {
    this(message, null);
  }
}

package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#INTERNAL_ERROR}: the handler threw; no stack trace crosses the wire. */
public class InternalErrorException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public InternalErrorException(String message, JsonNode data) {
    super(ErrorCode.INTERNAL_ERROR, message, data);
  }

  /** Creates the error with a human message and no data. */
  public InternalErrorException(String message) {
    this(message, null);
  }
}

package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#PARSE_ERROR}: the frame did not hold JSON. */
public class ParseErrorException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public ParseErrorException(String message, JsonNode data) {
    super(ErrorCode.PARSE_ERROR, message, data);
  }

  /** Creates the error with a human message and no data. */
  public ParseErrorException(String message) {
    this(message, null);
  }
}

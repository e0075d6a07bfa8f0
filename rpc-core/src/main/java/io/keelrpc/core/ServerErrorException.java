package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#SERVER_ERROR}: a generic server-side failure. */
public class ServerErrorException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public ServerErrorException(String message, JsonNode data) {
    super(ErrorCode.SERVER_ERROR, message, data);
  }

  /** Creates the error with a human message and no data. */
  public ServerErrorException(String message) {
    this(message, null);
  }
}

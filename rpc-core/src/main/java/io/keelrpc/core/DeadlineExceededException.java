package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link ErrorCode#DEADLINE_EXCEEDED}: the call's budget ran out (on the server before the handler ran, or on the client before an answer came). */
public class DeadlineExceededException extends RpcException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a human message and optional structured data. */
  public DeadlineExceededException(String message, JsonNode data) {
    super(ErrorCode.DEADLINE_EXCEEDED, message, data);
  }

  /** Creates the error with a human message and no data. */
  public DeadlineExceededException(String message) {
    this(message, null);
  }
}

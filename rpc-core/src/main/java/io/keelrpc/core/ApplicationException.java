package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error defined by the application, with a code outside the reserved range
 * {@code -32768..-32000}. Handlers throw it to send a typed error with structured data; clients
 * receive it as an answer, never as a failure to retry.
 *
 * <pre>{@code
 * throw new ApplicationException(1001, "version mismatch", mapper.valueToTree(new Mismatch(7)));
 * }</pre>
 */
public class ApplicationException extends RpcException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an application error.
   *
   * @throws IllegalArgumentException if {@code code} lies in the reserved range
   */
  public ApplicationException(int code, String message, JsonNode data) {
    super(checkCode(code), message, data);
  }

  /** Creates an application error without data. */
  public ApplicationException(int code, String message) {
    this(code, message, null);
  }

  private static int checkCode(int code) {
    if (ErrorCode.isReserved(code)) {
      throw new IllegalArgumentException(
          "code: " + code + " (expected: outside " + ErrorCode.RESERVED_MIN + ".."
              + ErrorCode.RESERVED_MAX + ")");
    }
    return code;
  }

  @Override
  public RetrySafety retrySafety() {
    return RetrySafety.NEVER;
  }
}

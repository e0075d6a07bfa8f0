package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.RpcException;

/**
 * A frame that could not be read as a request or response. Carries the error to answer with and,
 * when it could be read, the request's id and style so the answer can be matched.
 */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient RpcException error;
  private final transient JsonNode id;
  private final boolean jsonrpc2;

  MalformedMessageException(RpcException error, JsonNode id, boolean jsonrpc2, Throwable cause) {
    super(error.getMessage(), cause, false, false);
    this.error = error;
    this.id = id;
    this.jsonrpc2 = jsonrpc2;
  }

  /** The typed error (PARSE_ERROR or INVALID_REQUEST) to answer with. */
  public RpcException error() {
    return error;
  }

  /** The id to answer with: the request's when it was readable, else a JSON null. */
  public JsonNode id() {
    return id;
  }

  /** True if the answer should carry {@code "jsonrpc":"2.0"}. */
  public boolean jsonrpc2() {
    return jsonrpc2;
  }
}

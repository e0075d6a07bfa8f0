package io.keelrpc.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.wire.ErrorObject;
import io.keelrpc.core.wire.KeelJson;
import java.util.Objects;

/**
 * An error answer: a JSON-RPC error object received from (or sent by) a peer.
 *
 * <p>Carries the numeric {@link #code()}, the peer's message, and structured {@link #data()} that
 * callers read as a typed object with {@link #data(Class)} — nobody parses the message. Use
 * {@link #from(ErrorObject)} to get the most specific subclass for a code.
 *
 * <pre>{@code
 * try {
 *   client.call(PUT, params);
 * } catch (ApplicationException e) {
 *   Mismatch m = e.data(Mismatch.class);
 * }
 * }</pre>
 */
public class RpcException extends KeelException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final transient JsonNode data;

  /** Creates an error with {@code code}, a human message and optional structured data. */
  public RpcException(int code, String message, JsonNode data) {
    super(Objects.requireNonNull(message, "message"), null);
    this.code = code;
    this.data = data;
  }

  /** Creates an error for a protocol {@link ErrorCode}. */
  public RpcException(ErrorCode code, String message, JsonNode data) {
    this(code.code(), message, data);
  }

  /** The numeric error code as sent on the wire. */
  public int code() {
    return code;
  }

  /** The protocol constant of {@link #code()}, or {@code null} for application codes. */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }

  /** The structured error data, or {@code null} if the error has none. */
  public JsonNode data() {
    return data;
  }

  /**
   * The structured data bound to {@code type}, or {@code null} if there is none.
   *
   * @throws IllegalArgumentException if the data does not bind to {@code type}
   */
  public <T> T data(Class<T> type) {
    if (data == null || data.isNull()) {
      return null;
    }
    try {
      return KeelJson.mapper().treeToValue(data, type);
    } catch (Exception e) {
      throw new IllegalArgumentException("error data does not bind to " + type.getName(), e);
    }
  }

  /** This error as the wire error object. */
  public ErrorObject toErrorObject() {
    return new ErrorObject(code, getMessage(), data);
  }

  @Override
  public RetrySafety retrySafety() {
    ErrorCode known = errorCode();
    return known == null ? RetrySafety.NEVER : known.retrySafety();
  }

  /** The most specific exception type for an error object received from a peer. */
  public static RpcException from(ErrorObject error) {
    return from(error.code(), error.message(), error.data());
  }

  /** The most specific exception type for {@code code}. */
  public static RpcException from(int code, String message, JsonNode data) {
    String msg = message == null ? "" : message;
    ErrorCode known = ErrorCode.of(code);
    if (known == null) {
      return ErrorCode.isReserved(code)
          ? new RpcException(code, msg, data)
          : new ApplicationException(code, msg, data);
    }
    switch (known) {
      case PARSE_ERROR: return new ParseErrorException(msg, data);
      case INVALID_REQUEST: return new InvalidRequestException(msg, data);
      case METHOD_NOT_FOUND: return new MethodNotFoundException(msg, data);
      case INVALID_PARAMS: return new InvalidParamsException(msg, data);
      case INTERNAL_ERROR: return new InternalErrorException(msg, data);
      case SERVER_ERROR: return new ServerErrorException(msg, data);
      case OVERLOADED: return new OverloadedException(msg, data);
      case DEADLINE_EXCEEDED: return new DeadlineExceededException(msg, data);
      case UNAVAILABLE: return new UnavailableException(msg, data);
      case IDEMPOTENCY_KEY_REUSED: return new IdempotencyKeyReusedException(msg, data);
      case CANCELLED: return new CancelledException(msg, data);
      case UNAUTHENTICATED: return new UnauthenticatedException(msg, data);
      default: throw new AssertionError(known);
    }
  }
}

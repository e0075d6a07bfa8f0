package io.keelrpc.core;

/**
 * The error codes of the {@code keel/1} protocol: one constant per code of the table in
 * {@code docs/protocol.md}, each with the retry safety a client may assume when it receives it.
 *
 * <p>Application errors use codes outside {@code -32768..-32000}; they have no constant here and
 * surface as {@link ApplicationException}.
 *
 * <pre>{@code
 * ErrorCode code = ErrorCode.of(-32001);   // OVERLOADED
 * boolean reserved = ErrorCode.isReserved(-32050); // true: unknown but reserved for the protocol
 * }</pre>
 */
public enum ErrorCode {
  /** The frame did not hold JSON. */
  PARSE_ERROR(-32700, "parse error", RetrySafety.NEVER),
  /** Not a valid request object, or a frame too large or empty. */
  INVALID_REQUEST(-32600, "invalid request", RetrySafety.NEVER),
  /** No handler is registered under the method name. */
  METHOD_NOT_FOUND(-32601, "method not found", RetrySafety.NEVER),
  /** The params do not bind to the handler's params type. */
  INVALID_PARAMS(-32602, "invalid params", RetrySafety.NEVER),
  /** The handler threw; the call may have had effects. */
  INTERNAL_ERROR(-32603, "internal error", RetrySafety.NEVER),
  /** A generic server-side failure; the call may have had effects. */
  SERVER_ERROR(-32000, "server error", RetrySafety.IF_IDEMPOTENT),
  /** The server's request queue was full; nothing ran. {@code data.retryAfterMs} says when to retry. */
  OVERLOADED(-32001, "server overloaded", RetrySafety.ALWAYS),
  /** The call's budget ran out before the handler ran (or, on the client, before an answer came). */
  DEADLINE_EXCEEDED(-32002, "deadline exceeded", RetrySafety.NEVER),
  /** The server is shutting down or draining; nothing ran. */
  UNAVAILABLE(-32003, "unavailable", RetrySafety.ALWAYS),
  /** The idempotency key was used before with a different method or params. */
  IDEMPOTENCY_KEY_REUSED(-32004, "idempotency key reused", RetrySafety.NEVER),
  /** The caller cancelled the call. */
  CANCELLED(-32005, "cancelled", RetrySafety.NEVER),
  /** The caller could not be authenticated. */
  UNAUTHENTICATED(-32006, "unauthenticated", RetrySafety.NEVER);

  /** Lowest code of the range JSON-RPC reserves for the protocol. */
  public static final int RESERVED_MIN = -32768;
  /** Highest code of the range JSON-RPC reserves for the protocol. */
  public static final int RESERVED_MAX = -32000;

  private final int code;
  private final String defaultMessage;
  private final RetrySafety retrySafety;

  ErrorCode(int code, String defaultMessage, RetrySafety retrySafety) {
    this.code = code;
    this.defaultMessage = defaultMessage;
    this.retrySafety = retrySafety;
  }

  /** The numeric code sent on the wire. */
  public int code() {
    return code;
  }

  /** A short human description, used as the message when no better one is known. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /** Whether a client may retry a call that failed with this code. */
  public RetrySafety retrySafety() {
    return retrySafety;
  }

  /** The constant for {@code code}, or {@code null} if the code has none (application or unknown). */
  public static ErrorCode of(int code) {
    switch (code) {
      case -32700: return PARSE_ERROR;
      case -32600: return INVALID_REQUEST;
      case -32601: return METHOD_NOT_FOUND;
      case -32602: return INVALID_PARAMS;
      case -32603: return INTERNAL_ERROR;
      case -32000: return SERVER_ERROR;
      case -32001: return OVERLOADED;
      case -32002: return DEADLINE_EXCEEDED;
      case -32003: return UNAVAILABLE;
      case -32004: return IDEMPOTENCY_KEY_REUSED;
      case -32005: return CANCELLED;
      case -32006: return UNAUTHENTICATED;
      default: return null;
    }
  }

  /** True if {@code code} lies in the range JSON-RPC reserves ({@code -32768..-32000}). */
  public static boolean isReserved(int code) {
    return code >= RESERVED_MIN && code <= RESERVED_MAX;
  }
}

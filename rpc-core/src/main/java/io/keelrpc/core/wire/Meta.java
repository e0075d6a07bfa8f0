package io.keelrpc.core.wire;

/**
 * The {@code meta} extension member of a {@code keel/1} request.
 *
 * @param timeoutMs the caller's remaining budget in milliseconds when it sent the request, or
 *     {@link #NO_TIMEOUT}
 * @param attempt the attempt number, 1 for the first, or {@link #NO_ATTEMPT} if not sent
 * @param idempotencyKey the key the server deduplicates under, or {@code null}
 * @param stream the kind of stream the request opens ({@code meta.stream}), or {@code null} for
 *     an ordinary (unary) call
 * @param credit the items the caller lets the server send before it grants more
 *     ({@code meta.credit}, only read for streams; 0 when absent)
 * @param authorization the caller's credentials ({@code meta.authorization}, e.g.
 *     {@code "Bearer <token>"}), read only by the server's authenticator, or {@code null}
 */
public record Meta(long timeoutMs, int attempt, String idempotencyKey, StreamKind stream,
    int credit, String authorization) {
  /** {@code timeoutMs} when the caller sent none. */
  public static final long NO_TIMEOUT = -1;
  /** {@code attempt} when the caller sent none. */
  public static final int NO_ATTEMPT = 0;
  /** Longest idempotency key accepted, in characters. */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 256;
  /** A request without a {@code meta} member. */
  public static final Meta NONE = new Meta(NO_TIMEOUT, NO_ATTEMPT, null);

  /** Longest {@code meta.authorization} accepted, in characters. */
  public static final int MAX_AUTHORIZATION_LENGTH = 8192;

  /** A meta without credentials. */
  public Meta(long timeoutMs, int attempt, String idempotencyKey, StreamKind stream, int credit) {
    this(timeoutMs, attempt, idempotencyKey, stream, credit, null);
  }

  /** The meta of an ordinary (unary) call. */
  public Meta(long timeoutMs, int attempt, String idempotencyKey) {
    this(timeoutMs, attempt, idempotencyKey, null, 0);
  }

  /** True if the caller sent a budget. */
  public boolean hasTimeout() {
    return timeoutMs >= 0;
  }

  /** True if the request opens a stream ({@code meta.stream} present). */
  public boolean isStream() {
    return stream != null;
  }
}

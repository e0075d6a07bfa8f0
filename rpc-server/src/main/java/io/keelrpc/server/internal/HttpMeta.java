package io.keelrpc.server.internal;

import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.Request;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/**
 * Keel's {@code meta} from HTTP headers, merged into the {@code meta} a request body carries:
 *
 * <pre>
 * Authorization: Bearer t      meta.authorization  (what the server's Authenticator receives)
 * Idempotency-Key: k           meta.idempotencyKey (1..256 characters)
 * Keel-Timeout-Ms: 250         meta.timeoutMs      (a non-negative integer)
 * </pre>
 *
 * <p>A header fills a member the body's {@code meta} lacks; both present with different values is
 * INVALID_REQUEST (which one should win is not obvious, so neither does), as is a header sent
 * twice or with a value the member would not accept.
 */
final class HttpMeta {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String TIMEOUT_MS = "Keel-Timeout-Ms";

  private HttpMeta() {}

  /** {@code req} with the meta its headers carry; {@code req} itself if they carry none. */
  static Request merge(Request req, HttpHeaders headers) {
    String authorization = single(headers, HttpHeaderNames.AUTHORIZATION.toString());
    String key = single(headers, IDEMPOTENCY_KEY);
    String timeout = single(headers, TIMEOUT_MS);
    if (authorization == null && key == null && timeout == null) {
      return req;
    }
    Meta m = req.meta();
    if (authorization != null && authorization.length() > Meta.MAX_AUTHORIZATION_LENGTH) {
      throw new InvalidRequestException("header Authorization is longer than "
          + Meta.MAX_AUTHORIZATION_LENGTH + " characters");
    }
    if (key != null && (key.isEmpty() || key.length() > Meta.MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw new InvalidRequestException("header " + IDEMPOTENCY_KEY + " must be 1.."
          + Meta.MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
    }
    long timeoutMs = timeout == null ? Meta.NO_TIMEOUT : timeoutMs(timeout);
    return new Request(req.id(), req.method(), req.params(), new Meta(
        pick(TIMEOUT_MS, "timeoutMs", m.hasTimeout() ? m.timeoutMs() : null,
            timeout == null ? null : timeoutMs, Meta.NO_TIMEOUT),
        m.attempt(),
        pick(IDEMPOTENCY_KEY, "idempotencyKey", m.idempotencyKey(), key, null),
        m.stream(), m.credit(),
        pick("Authorization", "authorization", m.authorization(), authorization, null)),
        req.jsonrpc2());
  }

  /** The header's one value, or null; INVALID_REQUEST if sent more than once. */
  private static String single(HttpHeaders headers, String name) {
    List<String> all = headers.getAll(name);
    if (all.size() > 1) {
      throw new InvalidRequestException("header " + name + " was sent " + all.size()
          + " times (expected: at most once)");
    }
    return all.isEmpty() ? null : all.get(0).trim();
  }

  private static long timeoutMs(String value) {
    boolean digits = !value.isEmpty() && value.length() <= 18;
    for (int i = 0; i < value.length() && digits; i++) {
      digits = value.charAt(i) >= '0' && value.charAt(i) <= '9';
    }
    if (!digits) {
      throw new InvalidRequestException("header " + TIMEOUT_MS
          + " must be a non-negative integer of milliseconds, got \"" + value + "\"");
    }
    return Long.parseLong(value);
  }

  /** The body's value or the header's, whichever is set; both set must agree. */
  private static <T> T pick(String header, String member, T body, T fromHeader, T none) {
    if (fromHeader == null) {
      return body == null ? none : body;
    }
    if (body != null && !Objects.equals(body, fromHeader)) {
      throw new InvalidRequestException("header " + header + " and \"meta." + member
          + "\" disagree; send one of them, or the same value in both");
    }
    return fromHeader;
  }
}

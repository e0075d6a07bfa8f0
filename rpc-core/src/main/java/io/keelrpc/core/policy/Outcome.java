package io.keelrpc.core.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt's result or failure means: its {@link Kind}, an optional code (an HTTP status,
 * a JSON-RPC error code), a short message, whether another attempt may help, and the least wait
 * the peer asked for before one.
 *
 * <p>An {@link OutcomeClassifier} produces it; the retry machinery acts on it. The kind says
 * <em>what happened</em> and picks the listener callback; {@link #retryable()} says whether
 * retrying is safe and useful. They are separate because, for example, a {@code SERVER_ERROR}
 * answer to a write that is not idempotent is a server error that must not be retried.
 *
 * <pre>{@code
 * Outcome ok = Outcome.success(200);
 * Outcome busy = Outcome.serverError(503, "HTTP 503").withRetryAfter(Duration.ofSeconds(1));
 * Outcome unsafe = Outcome.timeout("no answer in 250 ms").withRetryable(false);
 * }</pre>
 *
 * @param kind what happened
 * @param code the peer's status or error code, or {@code null} if there is none
 * @param message a short human description ({@code ""} for successes)
 * @param retryable whether another attempt may be made; always false for successes and client
 *     errors
 * @param retryAfter the least wait before another attempt ({@link Duration#ZERO} if the peer gave
 *     no hint)
 */
public record Outcome(Kind kind, Integer code, String message, boolean retryable,
    Duration retryAfter) {
  /** What happened to an attempt; each kind has its own {@link CallListener} callback. */
  public enum Kind {
    /** An answer that is a success (a Keel result, an HTTP 2xx). */
    SUCCESS("success"),
    /** An answer that says the request itself is wrong; repeating it cannot help. */
    CLIENT_ERROR("client_error"),
    /** An answer that says the server failed or is busy; a later attempt may succeed. */
    SERVER_ERROR("server_error"),
    /** No answer in time. */
    TIMEOUT("timeout"),
    /** The connection could not be opened, or broke before the answer came. */
    CONNECTION_ERROR("connection");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /**
     * The lowercase name used in logs and summaries: {@code success}, {@code client_error},
     * {@code server_error}, {@code timeout}, {@code connection}.
     */
    public String label() {
      return label;
    }

    /** True for the kinds that count as a failed attempt: server error, timeout, connection. */
    public boolean isFailure() {
      return this == SERVER_ERROR || this == TIMEOUT || this == CONNECTION_ERROR;
    }
  }

  private static final Outcome SUCCESS = new Outcome(Kind.SUCCESS, null, "", false, Duration.ZERO);

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if a success or client error is marked retryable, or
   *     {@code retryAfter} is negative
   */
  public Outcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryable && !kind.isFailure()) {
      throw new IllegalArgumentException("retryable: true (expected: false for " + kind + ")");
    }
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: >= 0)");
    }
  }

  /** A success without a code (a Keel result). */
  public static Outcome success() {
    return SUCCESS;
  }

  /** A success with a code (an HTTP 2xx status). */
  public static Outcome success(int code) {
    return new Outcome(Kind.SUCCESS, code, "", false, Duration.ZERO);
  }

  /** A client error, never retried; {@code code} may be null. */
  public static Outcome clientError(Integer code, String message) {
    return new Outcome(Kind.CLIENT_ERROR, code, message, false, Duration.ZERO);
  }

  /** A retryable server error; {@code code} may be null. */
  public static Outcome serverError(Integer code, String message) {
    return new Outcome(Kind.SERVER_ERROR, code, message, true, Duration.ZERO);
  }

  /** A retryable timeout. */
  public static Outcome timeout(String message) {
    return new Outcome(Kind.TIMEOUT, null, message, true, Duration.ZERO);
  }

  /** A retryable connection error. */
  public static Outcome connectionError(String message) {
    return new Outcome(Kind.CONNECTION_ERROR, null, message, true, Duration.ZERO);
  }

  /**
   * This outcome with {@code retryable} changed.
   *
   * @throws IllegalArgumentException if {@code retryable} is true for a success or client error
   */
  public Outcome withRetryable(boolean retryable) {
    return retryable == this.retryable ? this
        : new Outcome(kind, code, message, retryable, retryAfter);
  }

  /** This outcome with {@code code} changed (null for none). */
  public Outcome withCode(Integer code) {
    return new Outcome(kind, code, message, retryable, retryAfter);
  }

  /** This outcome with the least wait before another attempt changed. */
  public Outcome withRetryAfter(Duration retryAfter) {
    return new Outcome(kind, code, message, retryable, retryAfter);
  }
}

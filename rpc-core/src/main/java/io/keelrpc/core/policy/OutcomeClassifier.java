package io.keelrpc.core.policy;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Says what an attempt's result or failure means. Called once per attempt with either the value
 * the attempt produced ({@code failure == null}) or its failure ({@code result == null}); also
 * with the {@link AttemptTimeoutException} or {@link DeadlineExceededException} that
 * {@link Resilience} produces itself when an attempt runs out of time.
 *
 * <p>A classifier for a transport whose errors arrive as values (HTTP statuses) looks at the
 * result and hands failures to {@link #classifyFailure(Throwable, boolean)}:
 *
 * <pre>{@code
 * OutcomeClassifier<HttpResponse<String>> http = (response, failure) -> {
 *   if (failure != null) {
 *     return OutcomeClassifier.classifyFailure(failure, true);
 *   }
 *   int s = response.statusCode();
 *   return s < 400 ? Outcome.success(s)
 *       : s < 500 ? Outcome.clientError(s, "HTTP " + s)
 *       : Outcome.serverError(s, "HTTP " + s);
 * };
 * }</pre>
 *
 * @param <T> the attempt's result type
 */
@FunctionalInterface
public interface OutcomeClassifier<T> {
  /**
   * The outcome of one attempt.
   *
   * @param result the attempt's value, meaningful only if {@code failure} is null
   * @param failure the attempt's failure (unwrapped from {@link CompletionException}), or null
   */
  Outcome classify(T result, Throwable failure);

  /**
   * Every value is a success; failures are classified by
   * {@link #classifyFailure(Throwable, boolean)}.
   *
   * @param idempotent whether the call may run twice safely, so that failures after which the
   *     request may have run (timeouts, broken connections, SERVER_ERROR) are retried too
   */
  static <T> OutcomeClassifier<T> defaults(boolean idempotent) {
    return (result, failure) -> failure == null ? Outcome.success()
        : classifyFailure(failure, idempotent);
  }

  /**
   * The outcome of a failure, with Keel's rules for Keel exceptions and sensible ones for the
   * JDK's:
   *
   * <table>
   *   <caption>Failure classification</caption>
   *   <tr><th>failure</th><th>kind</th><th>retryable</th></tr>
   *   <tr><td>{@link AttemptTimeoutException}, {@link TimeoutException},
   *       {@link SocketTimeoutException}</td><td>timeout</td><td>if idempotent</td></tr>
   *   <tr><td>{@link DeadlineExceededException} (code -32002)</td><td>timeout</td><td>no</td></tr>
   *   <tr><td>{@link TransportException}</td><td>connection</td>
   *       <td>per {@link KeelException#retrySafety()}: always if nothing was sent</td></tr>
   *   <tr><td>{@link ConnectException}, {@link UnknownHostException},
   *       {@link NoRouteToHostException}, {@link PortUnreachableException}</td>
   *       <td>connection</td><td>yes (nothing was sent)</td></tr>
   *   <tr><td>any other {@link IOException}</td><td>connection</td><td>if idempotent</td></tr>
   *   <tr><td>OVERLOADED (with its retry-after), UNAVAILABLE, SERVER_ERROR, INTERNAL_ERROR,
   *       unknown reserved codes</td><td>server error</td>
   *       <td>per {@link ErrorCode#retrySafety()}</td></tr>
   *   <tr><td>other error answers: INVALID_PARAMS, METHOD_NOT_FOUND, application errors,
   *       ...</td><td>client error</td><td>no</td></tr>
   *   <tr><td>anything else (a bug, a closed client, an answer that does not bind)</td>
   *       <td>client error</td><td>no</td></tr>
   * </table>
   *
   * @param failure the failure; {@link CompletionException} and {@link ExecutionException}
   *     wrappers are looked through
   * @param idempotent whether the call may run twice safely
   */
  static Outcome classifyFailure(Throwable failure, boolean idempotent) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    if (t instanceof KeelException k) {
      boolean retryable = k.retrySafety().allowsRetry(idempotent);
      if (t instanceof AttemptTimeoutException) {
        return Outcome.timeout(message).withRetryable(retryable);
      }
      if (t instanceof DeadlineExceededException d) {
        return Outcome.timeout(message).withCode(d.code()).withRetryable(false);
      }
      if (t instanceof TransportException) {
        return Outcome.connectionError(message).withRetryable(retryable);
      }
      if (t instanceof RpcException r) {
        ErrorCode known = r.errorCode();
        boolean serverSide = known == null ? ErrorCode.isReserved(r.code())
            : known == ErrorCode.OVERLOADED || known == ErrorCode.UNAVAILABLE
                || known == ErrorCode.SERVER_ERROR || known == ErrorCode.INTERNAL_ERROR;
        if (!serverSide) {
          return Outcome.clientError(r.code(), message);
        }
        Outcome o = Outcome.serverError(r.code(), message).withRetryable(retryable);
        return r instanceof OverloadedException busy ? o.withRetryAfter(busy.retryAfter()) : o;
      }
      return Outcome.clientError(null, message);
    }
    if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
      return Outcome.timeout(message).withRetryable(idempotent);
    }
    if (t instanceof ConnectException || t instanceof UnknownHostException
        || t instanceof NoRouteToHostException || t instanceof PortUnreachableException) {
      return Outcome.connectionError(message);
    }
    if (t instanceof IOException) {
      return Outcome.connectionError(message).withRetryable(idempotent);
    }
    return Outcome.clientError(null, message);
  }
}

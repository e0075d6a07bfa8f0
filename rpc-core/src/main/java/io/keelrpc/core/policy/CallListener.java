package io.keelrpc.core.policy;

import io.keelrpc.core.policy.internal.CompositeCallListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives one event per thing that happened to a call. Every method has a no-op default, so a
 * listener overrides only what it cares about.
 *
 * <p>Per attempt exactly one of {@link #onSuccess}, {@link #onClientError},
 * {@link #onServerError}, {@link #onTimeout} or {@link #onConnectionError} fires. A slow success
 * also fires {@link #onSlowResponse} right after {@link #onSuccess}. After a server error, timeout
 * or connection error comes either {@link #onRetry} (another attempt follows) or
 * {@link #onRetriesExhausted} (the call failed for good). So every call ends with exactly one of
 * success, client error or retries exhausted. The behaviour matrix, mapped from the robust HTTP
 * client of seed {@code 001}:
 *
 * <table>
 *   <caption>Events per outcome</caption>
 *   <tr><th>outcome</th><th>events</th><th>retried</th></tr>
 *   <tr><td>result, fast</td><td>success</td><td>no</td></tr>
 *   <tr><td>result, slower than the threshold (default 500 ms)</td>
 *       <td>success, slow_response</td><td>no</td></tr>
 *   <tr><td>INVALID_PARAMS, METHOD_NOT_FOUND, application error (HTTP 4xx)</td>
 *       <td>client_error</td><td>no</td></tr>
 *   <tr><td>OVERLOADED, UNAVAILABLE, SERVER_ERROR (HTTP 5xx)</td>
 *       <td>server_error, retry, ...</td><td>yes</td></tr>
 *   <tr><td>no answer within the per-attempt timeout</td><td>timeout, retry, ...</td>
 *       <td>idempotent calls</td></tr>
 *   <tr><td>connection refused</td><td>connection_error, retry, ...</td><td>yes</td></tr>
 *   <tr><td>attempts, deadline or retry budget used up</td><td>retries_exhausted</td>
 *       <td>-</td></tr>
 * </table>
 *
 * <p>Listeners are called on whatever thread observed the outcome (often a client's I/O thread):
 * keep them quick and never block in them. A listener that throws is logged and ignored; it never
 * breaks the call or the other listeners. Events are built only when a listener is attached.
 *
 * <pre>{@code
 * CallListener alerts = new CallListener() {
 *   @Override
 *   public void onRetriesExhausted(RetriesExhaustedEvent e) {
 *     log.warn("{} failed after {} attempts: {}", e.name(), e.attempts(), e.lastError());
 *   }
 * };
 * KeelClient client = KeelClient.builder()
 *     .endpoint("127.0.0.1", 7070)
 *     .listener(alerts)
 *     .listener(JsonLinesCallLog.toFile(Path.of("calls.jsonl")).build())
 *     .build();
 * }</pre>
 */
public interface CallListener {
  /** An attempt got a successful answer. */
  default void onSuccess(SuccessEvent event) {}

  /** A successful answer was slower than the threshold; fired right after {@link #onSuccess}. */
  default void onSlowResponse(SlowResponseEvent event) {}

  /** An attempt got an answer saying the request is wrong; never retried. */
  default void onClientError(ClientErrorEvent event) {}

  /** An attempt got an answer saying the server failed or is busy. */
  default void onServerError(ServerErrorEvent event) {}

  /** An attempt got no answer in time. */
  default void onTimeout(TimeoutEvent event) {}

  /** An attempt's connection failed. */
  default void onConnectionError(ConnectionErrorEvent event) {}

  /** Another attempt will be made after the event's wait; fired before each retry. */
  default void onRetry(RetryEvent event) {}

  /** The call failed for good after a retryable kind of failure. */
  default void onRetriesExhausted(RetriesExhaustedEvent event) {}

  /**
   * The call ended, once per call, after the events of its last attempt: for call-level metrics
   * such as the latency of whole calls. Not a {@link CallEvent}: {@link #of(Consumer)} and
   * {@link JsonLinesCallLog} do not see it.
   *
   * @param name the call's name
   * @param kind how the call ended: {@code SUCCESS}, {@code CLIENT_ERROR}, or the kind of the
   *     last failure of a call that failed for good
   * @param duration from the start of the call (before its first attempt) to its end, every
   *     attempt and wait between attempts included
   */
  default void onCallEnd(String name, Outcome.Kind kind, Duration duration) {}

  /** The listener that ignores everything; calls with only this listener build no events. */
  static CallListener noop() {
    return CompositeCallListener.NOOP;
  }

  /**
   * One listener that passes every event to each of {@code listeners} in order, logging and
   * ignoring any that throws.
   */
  static CallListener composite(CallListener... listeners) {
    return composite(Arrays.asList(listeners));
  }

  /**
   * One listener that passes every event to each of {@code listeners} in order, logging and
   * ignoring any that throws. An empty list gives {@link #noop()}.
   */
  static CallListener composite(List<? extends CallListener> listeners) {
    return CompositeCallListener.of(listeners);
  }

  /**
   * A listener that hands every event, whatever its type, to {@code consumer}.
   *
   * <pre>{@code
   * List<CallEvent> events = new CopyOnWriteArrayList<>();
   * CallListener recorder = CallListener.of(events::add);
   * }</pre>
   */
  static CallListener of(Consumer<? super CallEvent> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new CallListener() {
      @Override
      public void onSuccess(SuccessEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onSlowResponse(SlowResponseEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onClientError(ClientErrorEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onServerError(ServerErrorEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onTimeout(TimeoutEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onConnectionError(ConnectionErrorEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onRetry(RetryEvent event) {
        consumer.accept(event);
      }

      @Override
      public void onRetriesExhausted(RetriesExhaustedEvent event) {
        consumer.accept(event);
      }

      @Override
      public String toString() {
        return "CallListener.of(" + consumer + ")";
      }
    };
  }

  /**
   * Passes {@code event} to the callback of its type.
   *
   * <pre>{@code
   * CallListener.dispatch(listener, new RetryEvent("get", 2, Duration.ofMillis(50), Kind.TIMEOUT));
   * }</pre>
   */
  static void dispatch(CallListener listener, CallEvent event) {
    if (event instanceof SuccessEvent e) {
      listener.onSuccess(e);
    } else if (event instanceof SlowResponseEvent e) {
      listener.onSlowResponse(e);
    } else if (event instanceof ClientErrorEvent e) {
      listener.onClientError(e);
    } else if (event instanceof ServerErrorEvent e) {
      listener.onServerError(e);
    } else if (event instanceof TimeoutEvent e) {
      listener.onTimeout(e);
    } else if (event instanceof ConnectionErrorEvent e) {
      listener.onConnectionError(e);
    } else if (event instanceof RetryEvent e) {
      listener.onRetry(e);
    } else if (event instanceof RetriesExhaustedEvent e) {
      listener.onRetriesExhausted(e);
    } else {
      throw new AssertionError(event);
    }
  }
}

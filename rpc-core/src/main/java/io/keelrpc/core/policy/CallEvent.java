package io.keelrpc.core.policy;

/**
 * One thing that happened to a call: the common view of the eight event types a
 * {@link CallListener} receives. Events are small immutable records, built only when a listener is
 * attached.
 *
 * <pre>{@code
 * List<CallEvent> seen = new CopyOnWriteArrayList<>();
 * CallListener recorder = CallListener.of(seen::add);
 * ...
 * seen.stream().map(CallEvent::eventName).toList();   // [server_error, retry, success]
 * }</pre>
 */
public sealed interface CallEvent permits SuccessEvent, SlowResponseEvent, ClientErrorEvent,
    ServerErrorEvent, TimeoutEvent, ConnectionErrorEvent, RetryEvent, RetriesExhaustedEvent {
  /** The call's name: the Keel method, or whatever the caller named it (an HTTP URL). */
  String name();

  /** The attempt the event is about, from 1 (for {@link RetryEvent}: the attempt about to start). */
  int attempt();

  /**
   * The event's name in logs: {@code success}, {@code slow_response}, {@code client_error},
   * {@code server_error}, {@code timeout}, {@code connection_error}, {@code retry},
   * {@code retries_exhausted}.
   */
  String eventName();
}

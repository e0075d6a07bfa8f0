package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * An attempt got a successful answer; the call is done.
 *
 * @param name the call's name
 * @param attempt the attempt that succeeded, from 1
 * @param code the answer's code (an HTTP status), or {@code null} (Keel results have none)
 * @param latency from the start of the attempt to the answer
 * @param result the answer as the call returned it (a Keel result, an {@code HttpResponse}), or
 *     {@code null}
 */
public record SuccessEvent(String name, int attempt, Integer code, Duration latency,
    Object result) implements CallEvent {
  @Override
  public String eventName() {
    return "success";
  }
}

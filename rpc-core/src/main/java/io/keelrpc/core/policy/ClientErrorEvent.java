package io.keelrpc.core.policy;

import java.time.Duration;

/**
 * An attempt got an answer saying the request itself is wrong (invalid params, method not found,
 * an application error, an HTTP 4xx); never retried, the call is done.
 *
 * @param name the call's name
 * @param attempt the attempt, from 1
 * @param code the error or status code, or {@code null}
 * @param message a short description
 * @param latency from the start of the attempt to the answer
 * @param result the answer if it came as a value (an HTTP response), else {@code null}
 * @param error the failure if it came as one (a Keel {@code RpcException}), else {@code null}
 */
public record ClientErrorEvent(String name, int attempt, Integer code, String message,
    Duration latency, Object result, Throwable error) implements CallEvent {
  @Override
  public String eventName() {
    return "client_error";
  }
}

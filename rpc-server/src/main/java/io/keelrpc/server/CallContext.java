package io.keelrpc.server;

import io.keelrpc.core.Deadline;
import java.time.Duration;
import java.util.Optional;

/** What a handler can know about the call it is serving. */
public interface CallContext {
  /** The method name the call was made under. */
  String method();

  /**
   * The call's deadline on the server, derived from the caller's {@code meta.timeoutMs}, or empty
   * if the caller sent no budget.
   */
  Optional<Deadline> deadline();

  /** The time left before the deadline; {@code Duration.ofSeconds(Long.MAX_VALUE)} if none. */
  default Duration timeRemaining() {
    return deadline().map(Deadline::timeRemaining).orElse(Duration.ofSeconds(Long.MAX_VALUE));
  }

  /** The caller's attempt number (1 for the first), or 0 if it did not say. */
  int attempt();

  /**
   * The key this call is deduplicated under ({@code meta.idempotencyKey}, else a string id), or
   * empty if it has none. Handlers with set semantics can key their effects on it.
   */
  Optional<String> idempotencyKey();
}

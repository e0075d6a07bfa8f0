package io.keelrpc.server;

import io.keelrpc.core.Deadline;
import java.time.Duration;
import java.util.Optional;

/**
 * What a handler can know about the call it is serving.
 *
 * <p>While a handler runs, {@link io.keelrpc.core.KeelContext#current()} carries this call's
 * deadline and cancellation too (for an asynchronous handler, only while it is invoked), so that a
 * {@code KeelClient} call made from the handler inherits them: it never gets a longer budget than
 * this call's caller has left, and is cancelled when this call is.
 *
 * <pre>{@code
 * .handle(REPORT, (p, ctx) -> {
 *   for (Part part : p.parts()) {
 *     if (ctx.isCancelled()) {
 *       throw new CancelledException("stopped after " + part);  // nothing recorded, see below
 *     }
 *     render(part);
 *   }
 *   return done;
 * })
 * }</pre>
 */
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

  /**
   * True once the caller cancelled this call (a {@code $/cancel} notification on its connection).
   * Cancellation is cooperative: the handler is not interrupted and keeps running until it
   * returns. The answer to a cancelled request is never sent. What the handler returns (or throws)
   * is recorded for deduplication as usual, because it ran; except that a handler which, once
   * cancelled, gives up by throwing {@link io.keelrpc.core.CancelledException} declares that it
   * left no effects, so nothing is recorded and a retry with the same idempotency key runs again.
   * A connection that closes does not cancel its calls (the caller may retry on a new one).
   */
  default boolean isCancelled() {
    return false;
  }

  /**
   * Runs {@code listener} when the caller cancels this call: at once if it already has, else on
   * the connection's I/O thread (it must not block). Never runs for a call that is not cancelled.
   * A listener that throws is logged.
   */
  default void onCancel(Runnable listener) {}

  /**
   * The client connection this call arrived on, with per-connection attributes and close
   * listeners; empty when the call has none (a context not made by a connection-based transport).
   * Both {@code keel/1} and Go {@code net/rpc/jsonrpc} connections provide one.
   */
  default Optional<ConnectionInfo> connection() {
    return Optional.empty();
  }

  /**
   * Who made the call, as the server's {@link Authenticator} decided; empty when the server has no
   * authenticator (or for streams, whose callers are authenticated but not exposed here).
   */
  default Optional<java.security.Principal> principal() {
    return Optional.empty();
  }
}

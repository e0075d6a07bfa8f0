package io.keelrpc.server;

import java.net.SocketAddress;

/**
 * Observes a running server: every answered call, OVERLOADED rejections, idempotency-cache
 * look-ups, connections, and the server's gauges. Every method has a no-op default, so a listener
 * overrides only what it needs; {@link io.keelrpc.server.metrics.MicrometerServerMetrics} turns
 * them into Micrometer meters. Registered with {@link KeelServer.Builder#listener}; without one
 * the server does none of this work.
 *
 * <p>Methods are called on the server's I/O and worker threads, often with a call in progress:
 * keep them quick and never block. A listener that throws is logged and ignored; it never
 * breaks a call or a connection.
 *
 * <pre>{@code
 * KeelServer server = KeelServer.builder()
 *     .handle(GET, handler)
 *     .listener(new ServerListener() {
 *       @Override
 *       public void onCallCompleted(String method, String code, long durationNanos) {
 *         if (!ServerListener.OK.equals(code)) {
 *           log.info("{} answered {}", method, code);
 *         }
 *       }
 *     })
 *     .start();
 * }</pre>
 */
public interface ServerListener {
  /** The {@code code} of {@link #onCallCompleted} for a call answered with a result. */
  String OK = "OK";
  /**
   * The {@code method} reported for a request naming a method that is not registered, so that
   * what callers send cannot create unbounded names.
   */
  String UNKNOWN_METHOD = "$unknown";

  /** What an idempotency-cache look-up of a request's key found. */
  enum IdempotencyResult {
    /** The key was new: this request runs the call. */
    MISS,
    /** The key's call had already completed: the request is answered from the recorded outcome. */
    HIT,
    /** The key's call was still running: the request waits for its outcome and shares it. */
    JOIN,
    /** The key was used before with a different method or params: IDEMPOTENCY_KEY_REUSED. */
    CONFLICT
  }

  /** Gauges of a running server, read when a metrics system samples them. Thread-safe. */
  interface Gauges {
    /** Admitted calls waiting for a worker thread: the worker pool's queue. */
    int queueDepth();

    /**
     * Calls admitted and not finished (queued, running, asynchronous, streams); at
     * {@code workerThreads + queueCapacity} the next call is answered OVERLOADED.
     */
    int admittedCalls();

    /** Connections open now, as {@link KeelServer#openConnections()}. */
    int openConnections();
  }

  /**
   * The server is bound and serving; {@code gauges} may be read at any time from any thread, also
   * after the server stopped. Called once per server, before the builder's {@code start()}
   * returns.
   */
  default void onStart(Gauges gauges) {}

  /**
   * A request was answered (a notification counts too; a stream when it ends).
   *
   * @param method the method the request named, or {@link #UNKNOWN_METHOD} if none is registered
   *     under it
   * @param code {@link #OK} for a result; for an error, the name of its
   *     {@link io.keelrpc.core.ErrorCode} ({@code OVERLOADED}, {@code INVALID_PARAMS}, ...), or
   *     the decimal code of an application error ({@code "-1001"})
   * @param durationNanos from the request's dispatch to its answer, queueing, waiting for a
   *     joined execution and the handler included
   */
  default void onCallCompleted(String method, String code, long durationNanos) {}

  /**
   * A request was answered OVERLOADED: the server shed it without running it (the admission
   * limit of {@link KeelServer.Builder#queueCapacity}, or a handler that threw
   * {@link io.keelrpc.core.OverloadedException}). Fired right after its
   * {@link #onCallCompleted}.
   */
  default void onCallRejected(String method) {}

  /** A request with an idempotency key looked it up in the server's idempotency store. */
  default void onIdempotency(IdempotencyResult result) {}

  /** A connection was accepted and counted in (a connection refused by the limit is not). */
  default void onConnectionOpened(SocketAddress remote) {}

  /** A connection that {@link #onConnectionOpened} reported has closed. */
  default void onConnectionClosed(SocketAddress remote) {}
}

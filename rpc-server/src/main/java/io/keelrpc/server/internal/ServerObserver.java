package io.keelrpc.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.ServerListener;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of a {@link ServerListener}: turns what the dispatcher, the connection guards
 * and the idempotency store see into listener calls, and isolates the server from the listener
 * (one that throws is logged and ignored). {@link #NONE} does nothing and costs nothing: the
 * dispatcher's responders are not wrapped and the store is not decorated.
 */
final class ServerObserver {
  private static final Logger log = LoggerFactory.getLogger(ServerListener.class);
  private static final String OVERLOADED = ErrorCode.OVERLOADED.name();

  /** No listener. */
  static final ServerObserver NONE = new ServerObserver(null, Map.of(), Ticker.system());

  private final ServerListener listener;
  private final Map<String, ?> methods;
  private final Ticker ticker;
  private final JsonFactory json = new JsonFactory();

  private ServerObserver(ServerListener listener, Map<String, ?> methods, Ticker ticker) {
    this.listener = listener;
    this.methods = methods;
    this.ticker = ticker;
  }

  /**
   * An observer reporting to {@code listener}, or {@link #NONE} if it is null.
   *
   * @param methods the registered methods: requests naming others are reported as
   *     {@link ServerListener#UNKNOWN_METHOD}
   * @param ticker the server's clock, for call durations
   */
  static ServerObserver of(ServerListener listener, Map<String, ?> methods, Ticker ticker) {
    return listener == null ? NONE
        : new ServerObserver(listener, Objects.requireNonNull(methods, "methods"), ticker);
  }

  /** True if nobody listens. */
  boolean isNone() {
    return listener == null;
  }

  /** {@code store} decorated to report its look-ups, or as is if nobody listens (or null). */
  IdempotencyStore observe(IdempotencyStore store) {
    return store == null || isNone() ? store : new ObservedIdempotencyStore(store, this);
  }

  /**
   * {@code responder} wrapped to report the request's answer, with its duration from now, just
   * before handing it on; or {@code responder} as is if nobody listens.
   */
  Dispatcher.Responder observe(Request req, Dispatcher.Responder responder) {
    if (isNone()) {
      return responder;
    }
    long start = ticker.nanoTime();
    String method = methods.containsKey(req.method()) ? req.method()
        : ServerListener.UNKNOWN_METHOD;
    return new Dispatcher.Responder() {
      @Override
      public void respond(Request r, Outcome outcome) {
        // recorded first, so that a caller who has read the answer finds it counted
        completed(method, outcome, ticker.nanoTime() - start);
        responder.respond(r, outcome);
      }

      @Override
      public ConnectionInfo connection() {
        return responder.connection();
      }
    };
  }

  void started(ServerListener.Gauges gauges) {
    report("on start", "", l -> l.onStart(gauges));
  }

  void idempotency(ServerListener.IdempotencyResult result) {
    report("on an idempotency look-up", "", l -> l.onIdempotency(result));
  }

  void connectionOpened(SocketAddress remote) {
    report("on a connection opened", "", l -> l.onConnectionOpened(remote));
  }

  void connectionClosed(SocketAddress remote) {
    report("on a connection closed", "", l -> l.onConnectionClosed(remote));
  }

  /**
   * Hands one report to the listener, if any; one that throws is logged ({@code what} and
   * {@code subject} say on what) and ignored.
   */
  private void report(String what, String subject, Consumer<ServerListener> call) {
    if (isNone()) {
      return;
    }
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      log.warn("server listener {} threw {}{}; ignored", listener, what, subject, e);
    }
  }

  private void completed(String method, Outcome outcome, long nanos) {
    String code = outcome.error() ? codeOf(outcome.json()) : ServerListener.OK;
    report("on the answer of ", method, l -> {
      l.onCallCompleted(method, code, nanos);
      if (OVERLOADED.equals(code)) {
        l.onCallRejected(method);
      }
    });
  }

  /**
   * The {@code code} of an error object as {@link ServerListener#onCallCompleted} reports it: the
   * {@link ErrorCode} name, else the decimal code; {@code INTERNAL_ERROR} if it has none.
   */
  String codeOf(byte[] errorObject) {
    try (JsonParser p = json.createParser(errorObject)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return ErrorCode.INTERNAL_ERROR.name();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("code".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          int code = p.getIntValue();
          ErrorCode known = ErrorCode.of(code);
          return known != null ? known.name() : Integer.toString(code);
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      log.debug("cannot read the code of an error answer", e);
    }
    return ErrorCode.INTERNAL_ERROR.name();
  }
}

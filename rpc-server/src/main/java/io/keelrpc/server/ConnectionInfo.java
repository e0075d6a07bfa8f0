package io.keelrpc.server;

import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The client connection a call arrived on, with state that lives exactly as long as it: typed
 * attributes, and listeners run when it closes. Every protocol the server speaks on its port
 * ({@code keel/1} and Go's {@code net/rpc/jsonrpc}) provides one, through
 * {@link CallContext#connection()}.
 *
 * <p>Per-client state belongs here when the protocol has no session of its own, as with a Go
 * client that starts a stream with one call and fetches it with the next ones:
 *
 * <pre>{@code
 * static final ConnectionInfo.Key<Session> SESSION = ConnectionInfo.Key.of("session", Session.class);
 *
 * .handle(START, (p, ctx) -> {
 *   ConnectionInfo conn = ctx.connection().orElseThrow();
 *   Session s = conn.computeIfAbsent(SESSION, Session::new);
 *   conn.onClose(s::release);                   // at once if the connection already closed
 *   return s.first();
 * })
 * }</pre>
 *
 * <p>A connection that closes does not cancel the calls still running for it (see
 * {@link CallContext#isCancelled()}); their handlers may still read and write its attributes,
 * but a listener they register runs at once. Methods may be called from any thread.
 */
public interface ConnectionInfo {
  /** {@link #protocol()} of a connection speaking {@code keel/1}. */
  String KEEL_1 = "keel/1";
  /** {@link #protocol()} of a connection speaking Go's {@code net/rpc/jsonrpc}. */
  String GO_JSONRPC = "go-jsonrpc";
  /** {@link #protocol()} of a connection speaking HTTP/1.x ({@code POST /rpc}, {@code /health}). */
  String HTTP = "http";

  /** An id unique among the connections this JVM's servers accepted; never reused. */
  long id();

  /** The peer's address (an {@link java.net.InetSocketAddress} for TCP). */
  SocketAddress remoteAddress();

  /**
   * The protocol detected on this connection: {@link #KEEL_1}, {@link #GO_JSONRPC} or
   * {@link #HTTP}.
   */
  String protocol();

  /** True until the connection closes. */
  boolean isOpen();

  /**
   * The connection's TLS session once its handshake has completed (peer certificates and
   * principal, protocol, cipher suite), or empty on a plaintext connection.
   */
  default Optional<javax.net.ssl.SSLSession> sslSession() {
    return Optional.empty();
  }

  /** The attribute under {@code key}, or empty. */
  <T> Optional<T> attr(Key<T> key);

  /**
   * The attribute under {@code key}, created with {@code create} if absent; atomic, so concurrent
   * calls on one connection share one value.
   */
  <T> T computeIfAbsent(Key<T> key, Supplier<? extends T> create);

  /** Sets the attribute under {@code key}; returns the value it replaced, or empty. */
  <T> Optional<T> putAttr(Key<T> key, T value);

  /**
   * Removes the attribute under {@code key} if it is {@code expected} (the same object); true if
   * it did. Lets a handler remove its own value without removing one that replaced it.
   */
  <T> boolean removeAttr(Key<T> key, T expected);

  /**
   * Runs {@code listener} once when the connection closes, after which every attribute is
   * removed; at once (on the calling thread) if it has closed already. Listeners run in the order
   * they were added, on the connection's I/O thread: they must not block. One that throws is
   * logged and the others still run.
   */
  void onClose(Runnable listener);

  /**
   * A typed attribute name. Keys compare by identity: two calls of {@link #of} with the same name
   * make two keys, so keep each in a constant.
   *
   * @param <T> the type of the value stored under it
   */
  final class Key<T> {
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key; {@code name} is for messages only. */
    public static <T> Key<T> of(String name, Class<T> type) {
      return new Key<>(name, type);
    }

    /** The name given to {@link #of}. */
    public String name() {
      return name;
    }

    /** The type of the values stored under this key. */
    public Class<T> type() {
      return type;
    }

    @Override
    public String toString() {
      return "Key[" + name + ": " + type.getSimpleName() + "]";
    }
  }
}

package io.keelrpc.server;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.core.tls.internal.SslContexts;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import io.keelrpc.server.internal.ConnectionLimits;
import io.keelrpc.server.internal.DefaultKeelServer;
import io.keelrpc.server.internal.HttpOptions;
import io.keelrpc.server.internal.Registration;
import io.keelrpc.server.internal.ServiceExporter;
import io.keelrpc.server.internal.StreamHandlers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@code keel/1} server: typed handlers behind an idempotency cache, a bounded worker pool with
 * a bounded queue, and per-call deadlines.
 *
 * <pre>{@code
 * KeelServer server = KeelServer.builder()
 *     .port(7070)
 *     .handle(INC, (p, ctx) -> counters.inc(p.key(), p.delta()))
 *     .handleAsync(GET, (p, ctx) -> CompletableFuture.completedFuture(counters.get(p.key())))
 *     .start();
 * int port = server.port();
 * ...
 * server.close();   // graceful: drains in-flight calls for up to the shutdown grace period
 * }</pre>
 */
public interface KeelServer extends AutoCloseable {
  /** The bound local port (useful with {@code port(0)}). */
  int port();

  /**
   * Shuts down gracefully: stops accepting connections, answers new requests UNAVAILABLE, lets
   * calls already admitted finish for up to {@code gracePeriod}, then closes every connection and
   * thread. Returns when done; calling it again does nothing.
   */
  void shutdown(Duration gracePeriod);

  /**
   * Connections open now (refused ones count until they are closed); 0 once every connection
   * has closed. See {@link Builder#maxConnections(int)}.
   */
  int openConnections();

  /** {@link #shutdown(Duration)} with the configured {@link Builder#shutdownGracePeriod}. */
  @Override
  void close();

  /** A builder with the defaults documented on each option. */
  static Builder builder() {
    return new Builder();
  }

  /** The order in which admitted calls waiting for a worker are run. */
  enum QueueOrder {
    /** First admitted, first run (the default). */
    FIFO,
    /**
     * First in, first out while at most {@code workerThreads} calls wait; beyond that, the newest
     * waiting call runs next, so that under a standing queue the calls that run are the ones with
     * the most of their deadline left. The oldest wait; those whose deadline passes meanwhile are
     * answered {@code DEADLINE_EXCEEDED} without running, and a call without a deadline may wait
     * as long as the overload lasts. See {@code docs/performance.md}, "Overload".
     */
    ADAPTIVE_LIFO
  }

  /** Configures and starts a {@link KeelServer}. Each setter validates its argument at once. */
  final class Builder {
    /** Default {@link #host(String)}: loopback only, {@code 127.0.0.1}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default {@link #queueCapacity(int)}: 1024 admitted calls waiting beyond the workers. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;
    /**
     * Default {@link #maxInFlightPerConnection(int)}: 4096, above the default admission limit
     * ({@code workerThreads + queueCapacity}) on machines of up to 768 cores, so that a busy
     * connection is answered {@code OVERLOADED} before it is paused.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 4096;
    /** Default {@link #overloadRetryAfter(Duration)}: 50 ms. */
    public static final Duration DEFAULT_OVERLOAD_RETRY_AFTER = Duration.ofMillis(50);
    /** Default {@link #shutdownGracePeriod(Duration)}: 10 s. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(10);

    /** Default {@link #maxConnections(int)}: 10 000. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Default {@link #idleTimeout(Duration)}: 5 min. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default {@link #firstFrameTimeout(Duration)}: 10 s. */
    public static final Duration DEFAULT_FIRST_FRAME_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #frameReadTimeout(Duration)}: 30 s. */
    public static final Duration DEFAULT_FRAME_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #maxStreamsPerConnection(int)}: 128. */
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 128;
    /** Default {@link #maxStreamCredit(int)}: 1024 items. */
    public static final int DEFAULT_MAX_STREAM_CREDIT = 1024;

    private String host = DEFAULT_HOST;
    private int port;
    private int maxFrameBytes = KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES;
    private int workerThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private QueueOrder queueOrder = QueueOrder.FIFO;
    private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
    private Duration overloadRetryAfter = DEFAULT_OVERLOAD_RETRY_AFTER;
    private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration firstFrameTimeout = DEFAULT_FIRST_FRAME_TIMEOUT;
    private Duration frameReadTimeout = DEFAULT_FRAME_READ_TIMEOUT;
    private int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
    private int maxStreamCredit = DEFAULT_MAX_STREAM_CREDIT;
    private IdempotencyStore idempotencyStore;
    private TlsConfig tls;
    private Authenticator authenticator;
    private boolean idempotencyEnabled = true;
    private Ticker ticker = Ticker.system();
    private FaultInjector faultInjector;
    private ServerListener listener;
    private Supplier<String> metricsEndpoint;
    private final Map<String, Registration<?, ?>> methods = new LinkedHashMap<>();

    Builder() {}

    /** The address to bind (default {@value #DEFAULT_HOST}; {@code 0.0.0.0} for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port to bind, 0 for any free port (default 0); read it back with {@link #port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      return this;
    }

    /**
     * The largest frame payload accepted (default 1 MiB). A larger or zero claimed length is
     * answered INVALID_REQUEST once and the connection closed, without allocating it.
     */
    public Builder maxFrameBytes(int maxFrameBytes) {
      if (maxFrameBytes < 16) {
        throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 16)");
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /** Threads that run synchronous handlers (default max(8, 4 x cores)). */
    public Builder workerThreads(int workerThreads) {
      if (workerThreads < 1) {
        throw new IllegalArgumentException("workerThreads: " + workerThreads + " (expected: >= 1)");
      }
      this.workerThreads = workerThreads;
      return this;
    }

    /** Netty I/O threads (default: the number of cores). */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 1)");
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /**
     * Admitted calls that may wait beyond those running (default 1024). At most
     * {@code workerThreads + queueCapacity} calls are admitted at once (asynchronous handlers
     * count too); the next is answered OVERLOADED at once, with a retry-after hint.
     */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 0) {
        throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 0)");
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * The order in which admitted calls waiting for a worker run (default {@link QueueOrder#FIFO}).
     * {@link QueueOrder#ADAPTIVE_LIFO} keeps goodput up when a deep queue stands under overload:
     * it runs the freshest calls instead of those that waited longest.
     */
    public Builder queueOrder(QueueOrder order) {
      this.queueOrder = Objects.requireNonNull(order, "order");
      return this;
    }

    /**
     * Requests one connection may have unanswered before the server stops reading from it
     * (default 4096); TCP then pushes back on that client alone. Reading resumes as answers go out.
     *
     * <p>Keep it above the admission limit ({@code workerThreads + queueCapacity}): below it, a
     * single busy connection is paused before the server would refuse its calls, and a request
     * waiting unread in the socket buffers is invisible to the server — its {@code timeoutMs} only
     * starts when it is read, so the server may run calls whose callers have already given up.
     * The server logs a warning at start when the limit is at or below the admission limit.
     */
    public Builder maxInFlightPerConnection(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxInFlightPerConnection: " + max + " (expected: >= 1)");
      }
      this.maxInFlightPerConnection = max;
      return this;
    }

    /** The {@code retryAfterMs} hint sent with OVERLOADED (default 50 ms). */
    public Builder overloadRetryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("overloadRetryAfter: " + retryAfter + " (expected: >= 0)");
      }
      this.overloadRetryAfter = retryAfter;
      return this;
    }

    /**
     * Connections the server keeps open at once (default 10 000). The next one is accepted and
     * closed at once, before anything is read or written: the client sees the connection closed
     * (end of stream or a reset) and may try again later. Connections already open are not
     * affected; a slot frees when a connection closes. See {@link KeelServer#openConnections()}.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections: " + maxConnections
            + " (expected: >= 1)");
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * How long a connection may go without traffic in either direction while nothing is in flight
     * on it (no unanswered request, no open stream) before the server closes it (default 5 min;
     * {@link Duration#ZERO} for none). A connection with a call or stream in flight is never
     * closed as idle, however long the call takes.
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = nonNegative("idleTimeout", timeout);
      return this;
    }

    /**
     * How long a new connection has to deliver its first complete frame (a {@code keel/1} frame
     * or a Go request line), measured from accept (default 10 s; {@link Duration#ZERO} for
     * none). A connection that sends nothing, or only part of a frame, is then closed.
     */
    public Builder firstFrameTimeout(Duration timeout) {
      this.firstFrameTimeout = nonNegative("firstFrameTimeout", timeout);
      return this;
    }

    /**
     * How long a frame may take to arrive, measured from its first byte to its last (default
     * 30 s; {@link Duration#ZERO} for none): the defence against slowloris clients that trickle
     * a frame byte by byte. A frame still incomplete then closes the connection, without an
     * answer. The clock does not count against a client while the server has stopped reading it
     * ({@link #maxInFlightPerConnection}). With the default a 1 MiB frame needs about 35 KB/s.
     */
    public Builder frameReadTimeout(Duration timeout) {
      this.frameReadTimeout = nonNegative("frameReadTimeout", timeout);
      return this;
    }

    /**
     * Streams one {@code keel/1} connection may have open at once (default 128). An opening
     * request beyond it is answered OVERLOADED with the {@link #overloadRetryAfter} hint, and
     * nothing runs; the connection and its other streams and calls go on.
     */
    public Builder maxStreamsPerConnection(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxStreamsPerConnection: " + max + " (expected: >= 1)");
      }
      this.maxStreamsPerConnection = max;
      return this;
    }

    /**
     * The most credit the server honours per stream (default 1024 items): however much a client
     * grants, at most this many of the server's items are outstanding (the server just sends
     * less; the client's window stays valid). It also caps the credit the server grants a client
     * that sends items (at most 64, the server's inbound window), so it bounds the items one
     * stream buffers on the server.
     */
    public Builder maxStreamCredit(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxStreamCredit: " + max + " (expected: >= 1)");
      }
      this.maxStreamCredit = max;
      return this;
    }

    private static Duration nonNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
      }
      return d;
    }

    /** How long {@link KeelServer#close()} lets admitted calls finish (default 10 s). */
    public Builder shutdownGracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGracePeriod: " + grace + " (expected: >= 0)");
      }
      this.shutdownGracePeriod = grace;
      return this;
    }

    /**
     * Where executed calls are recorded for deduplication (default an
     * {@link InMemoryIdempotencyStore} with a 10 s TTL and 64 MiB on this server's ticker).
     */
    public Builder idempotencyStore(IdempotencyStore store) {
      this.idempotencyStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Turns deduplication of retried calls on or off (default on). Off, a retried request runs its
     * handler again.
     */
    public Builder idempotency(boolean enabled) {
      this.idempotencyEnabled = enabled;
      return this;
    }

    /** The time source for deadlines and the default cache's expiry (default the system ticker). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Injects seeded network faults into every connection of this server, for tests (default
     * none: no fault handler is installed and nothing is spent on it). On a server the injector
     * drops requests before the handler sees them, drops answers after the handler ran, delays
     * answers, delivers requests twice, and closes connections after delivering a request, each at
     * the rates its rules give per method; see {@link FaultInjector} and
     * {@code docs/fault-injection.md}. The injector's {@link FaultInjector#stats()} count what this
     * server (and anything else sharing the injector) did.
     */
    public Builder faultInjector(FaultInjector injector) {
      this.faultInjector = Objects.requireNonNull(injector, "injector");
      return this;
    }

    /**
     * Reports every answered call, OVERLOADED rejection, idempotency-cache look-up and connection
     * to {@code listener}, and hands it the server's gauges (default none: nothing is measured or
     * reported). {@link io.keelrpc.server.metrics.MicrometerServerMetrics} is a listener that
     * records Micrometer meters; see {@code docs/metrics.md}.
     *
     * @throws IllegalStateException if set twice
     */
    public Builder listener(ServerListener listener) {
      Objects.requireNonNull(listener, "listener");
      if (this.listener != null) {
        throw new IllegalStateException("listener: already set (expected: set once)");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Serves {@code GET /metrics} on the server's port (HTTP is detected per connection, beside
     * {@code keel/1}): each request answers 200 with {@code text/plain; version=0.0.4;
     * charset=utf-8} and the text {@code prometheusText} returns (default none: {@code GET
     * /metrics} answers 404 with a JSON body saying how to configure it). With Micrometer's
     * Prometheus registry:
     *
     * <pre>{@code
     * builder.metricsEndpoint(prometheusRegistry::scrape)
     * }</pre>
     *
     * <p>The supplier runs on a connection's I/O thread for every scrape, so it must not block;
     * one that throws is logged and answered 500. The endpoint needs no authentication, like
     * {@code GET /health}; see {@code docs/protocol.md}, "HTTP".
     */
    public Builder metricsEndpoint(Supplier<String> prometheusText) {
      this.metricsEndpoint = Objects.requireNonNull(prometheusText, "prometheusText");
      return this;
    }

    /**
     * Registers a synchronous handler, run on the worker pool.
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <P, R> Builder handle(MethodDescriptor<P, R> method, Handler<P, R> handler) {
      return register(Registration.sync(method, handler));
    }

    /**
     * Registers a synchronous handler that runs on the connection's I/O thread instead of the
     * worker pool: cheaper (no hand-off between threads) for handlers that finish in microseconds
     * and never block — an in-memory lookup, an echo. A handler that blocks here stalls every
     * connection on that I/O thread. Deadlines and the admission limit apply as for
     * {@link #handle}.
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <P, R> Builder handleNonBlocking(MethodDescriptor<P, R> method, Handler<P, R> handler) {
      return register(Registration.inline(method, handler));
    }

    /**
     * Registers an asynchronous handler, invoked on the I/O thread (it must not block).
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <P, R> Builder handleAsync(MethodDescriptor<P, R> method, AsyncHandler<P, R> handler) {
      return register(Registration.async(method, handler));
    }

    /**
     * Registers a server-streaming handler: the caller sends params once (bound to {@code P}) and
     * receives items ({@code T}) until the handler returns. It runs on the worker pool and may
     * block; {@link ServerStream#send} waits for the caller's credit, so a slow caller slows the
     * handler instead of filling memory. Streams are not deduplicated (the idempotency cache is
     * not used) and hold an admission slot and a worker while they run. See
     * {@code docs/protocol.md}, "Streams".
     *
     * <pre>{@code
     * .handleServerStream(TICKS, (p, out, ctx) -> {
     *   for (int i = 0; i < p.count() && !ctx.isCancelled(); i++) {
     *     out.send(new Tick(i));
     *   }
     * })
     * }</pre>
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <P, T> Builder handleServerStream(MethodDescriptor<P, T> method,
        ServerStreamHandler<P, T> handler) {
      return register(StreamHandlers.serverStream(method, handler));
    }

    /**
     * Registers a client-streaming handler: the caller sends items (the descriptor's params type
     * {@code I}) and receives the handler's result ({@code R}). The opening request carries no
     * params. Items wait in a bounded buffer ({@link InboundStream}); runs like
     * {@link #handleServerStream}.
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <I, R> Builder handleClientStream(MethodDescriptor<I, R> method,
        ClientStreamHandler<I, R> handler) {
      return register(StreamHandlers.clientStream(method, handler));
    }

    /**
     * Registers a bidirectional streaming handler: the caller sends items of the descriptor's
     * params type {@code I}, the handler sends items of its result type {@code O}, both at once.
     * The opening request carries no params. Runs like {@link #handleServerStream}.
     *
     * @throws IllegalArgumentException if the method name is already registered
     */
    public <I, O> Builder handleBidiStream(MethodDescriptor<I, O> method,
        BidiStreamHandler<I, O> handler) {
      return register(StreamHandlers.bidiStream(method, handler));
    }

    /**
     * Registers every abstract method of a service interface, served by {@code impl}: the
     * shortest way to serve with Keel, and the counterpart of {@code KeelClient.proxy}. Wire names
     * and params follow the rules of {@link io.keelrpc.core.service}. Methods with a plain result
     * run like {@link #handle} (on the worker pool; they may block), or like
     * {@link #handleNonBlocking} when marked {@code @NonBlocking}; methods returning
     * {@code CompletionStage<T>} or {@code CompletableFuture<T>} run like {@link #handleAsync}
     * (started on the I/O thread: they must not block). Methods marked {@code @ReadOnly} skip the
     * idempotency cache. Exceptions thrown by {@code impl} are answered as from a {@link Handler}.
     * Either every method is registered or, on an error, none.
     *
     * <pre>{@code
     * public interface CounterApi {
     *   Counter inc(IncParams p);
     *   @ReadOnly Counter get(KeyParams p);
     * }
     * KeelServer server = KeelServer.builder().export(CounterApi.class, new MyCounters()).start();
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code type} is not an interface or breaks a mapping
     *     rule, or one of its wire names is already registered (the message names the method)
     */
    public <T> Builder export(Class<T> type, T impl) {
      List<ServiceExporter.Exported> exported = ServiceExporter.export(type, impl);
      for (ServiceExporter.Exported e : exported) {
        String name = e.registration().method().name();
        if (methods.containsKey(name)) {
          throw new IllegalArgumentException("method: \"" + name + "\" of " + e.javaMethod()
              + " (expected: registered once)");
        }
      }
      exported.forEach(e -> register(e.registration()));
      return this;
    }

    private Builder register(Registration<?, ?> r) {
      if (methods.putIfAbsent(r.method().name(), r) != null) {
        throw new IllegalArgumentException(
            "method: \"" + r.method().name() + "\" (expected: registered once)");
      }
      return this;
    }

    /**
     * Serves TLS on the port (default none: plaintext). With TLS every connection must complete
     * a TLS handshake before anything else is read; plaintext and TLS do not share a port. The
     * config needs key material; with {@link TlsConfig.Builder#requireClientAuth(boolean)} the
     * handshake also demands a client certificate signed by a trusted CA (mutual TLS), whose
     * subject {@link Authenticator#clientCertificate()} turns into the caller's principal. Files
     * are read by {@link #start()}. See {@code docs/security.md}.
     *
     * @throws IllegalStateException if set twice
     */
    public Builder tls(TlsConfig tls) {
      Objects.requireNonNull(tls, "tls");
      if (this.tls != null) {
        throw new IllegalStateException("tls: already set (expected: set once)");
      }
      this.tls = tls;
      return this;
    }

    /**
     * Authenticates every request (default none: calls have no principal and the idempotency
     * cache is shared by all callers). A rejected request is answered UNAUTHENTICATED without
     * running anything; the principal of an accepted one is {@link CallContext#principal()} and
     * scopes its idempotency key. See {@link Authenticator} and {@code docs/security.md}.
     *
     * @throws IllegalStateException if set twice
     */
    public Builder authenticator(Authenticator authenticator) {
      Objects.requireNonNull(authenticator, "authenticator");
      if (this.authenticator != null) {
        throw new IllegalStateException("authenticator: already set (expected: set once)");
      }
      this.authenticator = authenticator;
      return this;
    }

    private DefaultKeelServer.Security security() {
      return new DefaultKeelServer.Security(tls == null ? null : SslContexts.forServer(tls),
          authenticator);
    }

    /**
     * Binds and starts the server.
     *
     * @throws io.keelrpc.core.TransportException if the address cannot be bound
     * @throws IllegalArgumentException if the TLS files cannot be read or hold no usable key
     */
    public KeelServer start() {
      DefaultKeelServer.Security security = security();
      IdempotencyStore store = !idempotencyEnabled ? null
          : idempotencyStore != null ? idempotencyStore
          : InMemoryIdempotencyStore.builder().ticker(ticker).build();
      return DefaultKeelServer.start(security, new DefaultKeelServer.Config(
          new InetSocketAddress(host, port), maxFrameBytes, workerThreads, ioThreads,
          queueCapacity, maxInFlightPerConnection, overloadRetryAfter, shutdownGracePeriod,
          store, ticker, Map.copyOf(methods), faultInjector,
          new ConnectionLimits(maxConnections, idleTimeout, firstFrameTimeout, frameReadTimeout,
              maxStreamsPerConnection, maxStreamCredit, overloadRetryAfter, ticker), queueOrder),
          listener,
          new HttpOptions(metricsEndpoint));
    }
  }
}

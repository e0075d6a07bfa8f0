package io.keelrpc.client;

import io.keelrpc.client.internal.DefaultKeelClient;
import io.keelrpc.client.internal.ProxyFactory;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.Resilience;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.core.tls.internal.ClientSsl;
import io.keelrpc.core.wire.KeelFrameDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A {@code keel/1} client of one or more endpoints, with one multiplexed connection per endpoint
 * (opened on first use, reopened after a failure), per-call deadlines, per-attempt timeouts and
 * jittered exponential retries of what is safe to retry.
 *
 * <p>With several endpoints, each attempt goes to a healthy one chosen by power-of-two-choices on
 * outstanding calls, a retry to another endpoint than the failed attempt's when one is healthy,
 * and an endpoint whose connection failed is reconnected in the background; see
 * {@link Builder#endpoints(List)} and {@link #endpoints()}.
 *
 * <p>Each logical call gets one unique string id that every attempt reuses, so a Keel server runs
 * it at most once however often it is retried. Error answers surface as typed
 * {@link io.keelrpc.core.RpcException}s; application errors are answers and are never retried.
 *
 * <pre>{@code
 * try (KeelClient client = KeelClient.builder().endpoint("127.0.0.1", 7070).build()) {
 *   Counter c = client.call(INC, new IncParams("a", 2));
 *   CompletableFuture<Counter> f = client.callAsync(GET, new KeyParams("a"),
 *       CallOptions.builder().deadline(Duration.ofMillis(500)).build());
 * }
 * }</pre>
 */
public interface KeelClient extends AutoCloseable {
  /**
   * Starts a call. The future completes with the typed result, or exceptionally with a
   * {@link KeelException}: the error answer, the last failure once retries are exhausted, or
   * {@link io.keelrpc.core.DeadlineExceededException} (whose cause is the last attempt's failure)
   * when the deadline passes. Params that cannot be serialised to JSON fail it with an
   * {@link IllegalArgumentException} before anything is sent. Callbacks attached to the future may
   * run on the client's I/O thread: do not block in them.
   */
  <P, R> CompletableFuture<R> callAsync(MethodDescriptor<P, R> method, P params,
      CallOptions options);

  /** Closes the connection; pending and later calls fail with a {@link io.keelrpc.core.ClientClosedException}. */
  @Override
  void close();

  /** The client's endpoints as it sees them now (health, connection, load), in source order. */
  List<EndpointStatus> endpoints();

  /** {@link #callAsync(MethodDescriptor, Object, CallOptions)} with the client's defaults. */
  default <P, R> CompletableFuture<R> callAsync(MethodDescriptor<P, R> method, P params) {
    return callAsync(method, params, CallOptions.DEFAULTS);
  }

  /**
   * Makes a call and waits for its result.
   *
   * @throws KeelException the typed failure of the call
   * @throws IllegalArgumentException if {@code params} cannot be serialised to JSON
   */
  default <P, R> R call(MethodDescriptor<P, R> method, P params, CallOptions options) {
    try {
      return callAsync(method, params, options).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** {@link #call(MethodDescriptor, Object, CallOptions)} with the client's defaults. */
  default <P, R> R call(MethodDescriptor<P, R> method, P params) {
    return call(method, params, CallOptions.DEFAULTS);
  }

  /**
   * A proxy of a service interface whose abstract methods call through this client: the
   * shortest way to use Keel. Methods with a plain result block like
   * {@link #call(MethodDescriptor, Object, CallOptions) call} and throw the typed
   * {@link KeelException}; methods returning {@code CompletionStage<T>} or
   * {@code CompletableFuture<T>} return at once like {@link #callAsync}. Wire names, params
   * and the {@code @Idempotent}/{@code @ReadOnly} marks follow the rules of
   * {@link io.keelrpc.core.service}; a marked method's calls are idempotent whatever
   * {@code options} say. Default methods run locally; {@code equals} and {@code hashCode} are
   * identity; the proxy is thread-safe and lives as long as the client.
   *
   * <pre>{@code
   * public interface CounterApi {
   *   @Idempotent Counter inc(IncParams p);
   *   @ReadOnly CompletableFuture<Counter> get(KeyParams p);
   * }
   * CounterApi counters = client.proxy(CounterApi.class,
   *     CallOptions.builder().deadline(Duration.ofSeconds(2)).build());
   * Counter c = counters.inc(new IncParams("a", 2L));
   * }</pre>
   *
   * @param options settings of every call; they may not hold an idempotency key
   * @throws IllegalArgumentException if {@code type} is not an interface or breaks a mapping
   *     rule (the message names the method), or {@code options} hold an idempotency key
   */
  default <T> T proxy(Class<T> type, CallOptions options) {
    return ProxyFactory.create(this, type, options);
  }

  /** {@link #proxy(Class, CallOptions)} with the client's defaults. */
  default <T> T proxy(Class<T> type) {
    return proxy(type, CallOptions.DEFAULTS);
  }

  /**
   * Opens a server stream: sends {@code params} once and returns at once with the stream of the
   * server's items ({@code T}, the descriptor's result type), read with {@link KeelStream#next()}
   * or its iterator. The connection is opened in the background; its failure surfaces in the
   * first read. The server sends no more items than the reader has room for
   * ({@link StreamOptions.Builder#window(int)}); a server that is silent for the idle timeout
   * while the reader waits fails the stream with {@link io.keelrpc.core.StreamIdleTimeoutException}.
   * Closing the stream before its end cancels it on the server. Streams are never retried
   * automatically: a stream that failed is opened again by the caller, if that is safe.
   *
   * <pre>{@code
   * try (KeelStream<Tick> ticks = client.serverStream(TICKS, new TickParams(100))) {
   *   for (Tick t : ticks) {
   *     show(t);
   *   }
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code params} cannot be serialised to JSON
   */
  <P, T> KeelStream<T> serverStream(MethodDescriptor<P, T> method, P params,
      StreamOptions options);

  /** {@link #serverStream(MethodDescriptor, Object, StreamOptions)} with the client's defaults. */
  default <P, T> KeelStream<T> serverStream(MethodDescriptor<P, T> method, P params) {
    return serverStream(method, params, StreamOptions.DEFAULTS);
  }

  /**
   * Opens a client stream: returns at once with a stream to send items ({@code I}, the
   * descriptor's params type) and, with {@link ClientStream#complete()}, to end them and wait for
   * the server's result ({@code R}). Sends wait for the server's credit. Never retried
   * automatically.
   */
  <I, R> ClientStream<I, R> clientStream(MethodDescriptor<I, R> method, StreamOptions options);

  /** {@link #clientStream(MethodDescriptor, StreamOptions)} with the client's defaults. */
  default <I, R> ClientStream<I, R> clientStream(MethodDescriptor<I, R> method) {
    return clientStream(method, StreamOptions.DEFAULTS);
  }

  /**
   * Opens a bidirectional stream: returns at once with a stream that sends items ({@code I}, the
   * descriptor's params type) and reads the server's ({@code O}, its result type), both at once.
   * Never retried automatically.
   */
  <I, O> BidiStream<I, O> bidiStream(MethodDescriptor<I, O> method, StreamOptions options);

  /** {@link #bidiStream(MethodDescriptor, StreamOptions)} with the client's defaults. */
  default <I, O> BidiStream<I, O> bidiStream(MethodDescriptor<I, O> method) {
    return bidiStream(method, StreamOptions.DEFAULTS);
  }

  /**
   * A builder; an endpoint is required ({@link Builder#endpoint(String, int)},
   * {@link Builder#endpoints(List)} or {@link Builder#endpointSource(EndpointSource)}).
   */
  static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link KeelClient}. Each setter validates its argument at once. */
  final class Builder {
    /** Default {@link #deadline(Duration)}: 10 s per call. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    /** Default {@link #connectTimeout(Duration)}: 3 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Longest {@link #idPrefix(String)}, in characters. */
    public static final int MAX_ID_PREFIX_LENGTH = 128;
    /** Default {@link #streamIdleTimeout(Duration)}: 30 s. */
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #slowCallThreshold(Duration)}: 500 ms. */
    public static final Duration DEFAULT_SLOW_CALL_THRESHOLD =
        Resilience.DEFAULT_SLOW_CALL_THRESHOLD;
    /**
     * Default {@link #reconnectBackoff(RetryPolicy)}: 100 ms doubling to at most 5 s, equal jitter
     * (each wait between half and all of its base).
     */
    public static final RetryPolicy DEFAULT_RECONNECT_BACKOFF = RetryPolicy.builder()
        .initialBackoff(Duration.ofMillis(100))
        .multiplier(2.0)
        .maxBackoff(Duration.ofSeconds(5))
        .jitter(Jitter.equal())
        .build();

    private final List<InetSocketAddress> endpoints = new ArrayList<>();
    private EndpointSource endpointSource;
    private RetryPolicy reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
    private Duration deadline = DEFAULT_DEADLINE;
    private Duration perAttemptTimeout;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
    private int maxFrameBytes = KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES;
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private String idPrefix;
    private FaultInjector faultInjector;
    private final List<CallListener> listeners = new ArrayList<>();
    private Duration slowCallThreshold = DEFAULT_SLOW_CALL_THRESHOLD;
    private RetryBudget retryBudget;
    private Duration streamIdleTimeout = DEFAULT_STREAM_IDLE_TIMEOUT;
    private TlsConfig tls;
    private Supplier<String> authorization;

    Builder() {}

    /**
     * A server to call; call it again to add more (an endpoint is required: this,
     * {@link #endpoints(List)} or {@link #endpointSource(EndpointSource)}). The host name is
     * resolved on every connection attempt.
     *
     * @throws IllegalArgumentException if the port is not 1..65535 or the endpoint was added
     *     already
     * @throws IllegalStateException if an {@link #endpointSource(EndpointSource)} was set
     */
    public Builder endpoint(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
      return addEndpoint(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Servers to call, added to those given before. Each attempt goes to a healthy endpoint chosen
     * by power-of-two-choices (the fewer outstanding calls of two drawn at random, from
     * {@link #random(DoubleSupplier)}); a retry goes to another endpoint than the failed attempt's
     * when one is healthy. An endpoint whose connection fails or closes is marked down and, when
     * there are two or more, reconnected in the background after {@link #reconnectBackoff}.
     * When none is healthy, an attempt tries to connect to one itself (joining a connection
     * attempt in progress) and fails with a {@link io.keelrpc.core.TransportException} that is
     * always retried, within the deadline, if that fails.
     *
     * @throws IllegalArgumentException if the list is empty, or an address has port 0 or was
     *     added already
     * @throws IllegalStateException if an {@link #endpointSource(EndpointSource)} was set
     */
    public Builder endpoints(List<InetSocketAddress> endpoints) {
      Objects.requireNonNull(endpoints, "endpoints");
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
      }
      List<InetSocketAddress> added = new ArrayList<>(endpoints.size());
      for (InetSocketAddress a : endpoints) {
        Objects.requireNonNull(a, "endpoint");
        if (a.getPort() < 1) {
          throw new IllegalArgumentException("port: " + a.getPort() + " (expected: 1..65535)");
        }
        checkNew(a, added);
        added.add(a);
      }
      this.endpoints.addAll(added);
      return this;
    }

    private Builder addEndpoint(InetSocketAddress address) {
      checkNew(address, List.of());
      endpoints.add(address);
      return this;
    }

    private void checkNew(InetSocketAddress address, List<InetSocketAddress> alsoAdding) {
      if (endpointSource != null) {
        throw new IllegalStateException("endpoint: an endpointSource is set (expected: one or "
            + "the other)");
      }
      if (endpoints.contains(address) || alsoAdding.contains(address)) {
        throw new IllegalArgumentException("endpoint: " + address.getHostString() + ":"
            + address.getPort() + " added twice (expected: distinct endpoints)");
      }
    }

    /**
     * Where the endpoints come from, for service discovery (default: the static list of
     * {@link #endpoint(String, int)} and {@link #endpoints(List)}). The client subscribes when it
     * is built and unsubscribes when it is closed.
     *
     * @throws IllegalStateException if endpoints or a source were set already
     */
    public Builder endpointSource(EndpointSource source) {
      Objects.requireNonNull(source, "source");
      if (endpointSource != null || !endpoints.isEmpty()) {
        throw new IllegalStateException("endpointSource: endpoints are set already (expected: "
            + "one endpointSource, or endpoints)");
      }
      this.endpointSource = source;
      return this;
    }

    /**
     * The waits between background reconnects of an endpoint that is down (default
     * {@link #DEFAULT_RECONNECT_BACKOFF}): the wait after the n-th consecutive failure is the
     * policy's backoff before retry n. Its {@code maxAttempts} is ignored: reconnecting goes on
     * until it succeeds or the client is closed. Used with two or more endpoints; a client with
     * one reconnects when the next call needs it.
     */
    public Builder reconnectBackoff(RetryPolicy policy) {
      this.reconnectBackoff = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The default budget of a whole call, retries and waits included (default 10 s). */
    public Builder deadline(Duration deadline) {
      this.deadline = CallOptions.Builder.positive("deadline", deadline);
      return this;
    }

    /**
     * The default longest wait of one attempt (default none: an attempt may use the whole
     * remaining deadline, so timeouts are never retried).
     */
    public Builder perAttemptTimeout(Duration timeout) {
      this.perAttemptTimeout = CallOptions.Builder.positive("perAttemptTimeout", timeout);
      return this;
    }

    /** The longest wait to open a connection (default 3 s); capped by the attempt's time. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = CallOptions.Builder.positive("connectTimeout", timeout);
      return this;
    }

    /** The default retry policy (default {@link RetryPolicy#ofDefaults()}). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The largest response frame accepted (default 1 MiB). */
    public Builder maxFrameBytes(int maxFrameBytes) {
      if (maxFrameBytes < 16) {
        throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 16)");
      }
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    /** The time source for deadlines (default the system ticker). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where timeouts and backoff waits are scheduled (default the client's I/O event loop). Pass
     * the same fake as {@link #ticker(Ticker)} to drive a client on virtual time.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The source of uniform numbers in [0, 1) for jitter and the choice of endpoints (default
     * thread-local random).
     */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The prefix of this client's call ids; each call's id is the prefix followed by a counter
     * from 1 (default: a random base-36 number and {@code "-"}, different for every client). A
     * fixed prefix makes ids repeatable, which seeded fault injection needs to replay a run
     * ({@link FaultInjector} decides by call id). Ids are also the server's deduplication keys:
     * two clients of one server must never share a prefix, nor may one prefix be reused within
     * the server's idempotency TTL (default 10 s) — a call could receive another's recorded answer.
     *
     * @throws IllegalArgumentException if {@code prefix} is empty or longer than
     *     {@value #MAX_ID_PREFIX_LENGTH} characters
     */
    public Builder idPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isEmpty() || prefix.length() > MAX_ID_PREFIX_LENGTH) {
        throw new IllegalArgumentException("idPrefix: \"" + prefix + "\" (expected: 1.."
            + MAX_ID_PREFIX_LENGTH + " characters)");
      }
      this.idPrefix = prefix;
      return this;
    }

    /**
     * Injects seeded network faults into this client's connections, for tests (default none: no
     * fault handler is installed and nothing is spent on it). On a client the injector drops
     * requests instead of sending them (the write looks successful, so the attempt waits for its
     * timeout), delays and duplicates requests, closes the connection right after sending, and
     * drops answers on arrival, each at the rates its rules give per method; see
     * {@link FaultInjector} and {@code docs/fault-injection.md}. To replay a run, fix the ids with
     * {@link #idPrefix(String)}.
     */
    public Builder faultInjector(FaultInjector injector) {
      this.faultInjector = Objects.requireNonNull(injector, "injector");
      return this;
    }

    /**
     * Adds a listener of every call's events (success, slow response, client error, server error,
     * timeout, connection error, retry, retries exhausted; see {@link CallListener}); may be
     * called several times. Default none, and then no events are built. Listeners run on the
     * client's I/O or scheduler thread: keep them quick. One that throws is logged and ignored.
     * {@link CallOptions.Builder#listener(CallListener)} adds one for a single call.
     */
    public Builder listener(CallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Successes slower than this (from the start of the attempt to its answer) also fire
     * {@link CallListener#onSlowResponse} (default 500 ms).
     */
    public Builder slowCallThreshold(Duration threshold) {
      this.slowCallThreshold = CallOptions.Builder.positive("slowCallThreshold", threshold);
      return this;
    }

    /**
     * The retry budget shared by every call of the client (default: a new
     * {@link RetryBudget#ofDefaults()} per client — 20 tokens, ratio 0.5 — so that against a
     * server that fails everything the client makes about 10 retries in all, not
     * {@code maxAttempts - 1} per call). Pass one budget to several clients to throttle them
     * together, or {@link RetryBudget#unlimited()} to turn throttling off.
     */
    public Builder retryBudget(RetryBudget budget) {
      this.retryBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * The default idle timeout of streams (default 30 s): a stream whose caller has waited this
     * long for the server (for an item, for credit to send, or for the final answer) with nothing
     * arriving fails with {@link io.keelrpc.core.StreamIdleTimeoutException} and is cancelled on
     * the server. A reader that stops reading is not idle. Per stream:
     * {@link StreamOptions.Builder#idleTimeout(Duration)}. Timed on the {@link #scheduler}.
     */
    public Builder streamIdleTimeout(Duration timeout) {
      this.streamIdleTimeout = CallOptions.Builder.positive("streamIdleTimeout", timeout);
      return this;
    }

    /**
     * Connects with TLS (default none: plaintext). The client trusts the certificates of
     * {@link TlsConfig.Builder#trustPem}/{@code trustStore}/{@code trustManager} (none: the JDK's
     * default trust store), checks that the server's certificate names the host dialled unless
     * {@link TlsConfig.Builder#verifyHostname(boolean)} is off, and presents its own certificate
     * when the config has key material (mutual TLS). A failed handshake fails the attempt with a
     * {@link io.keelrpc.core.TransportException}, like a refused connection. Files are read by
     * {@link #build()}. See {@code docs/security.md}.
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
     * Sends {@code meta.authorization} with every request and stream (default none), the value
     * {@code authorization} gives at the time each attempt is sent (so a rotating token is
     * picked up without rebuilding the client; it must be quick, and may return null to send
     * nothing). The server's authenticator reads it; see {@link #bearerToken(Supplier)} for the
     * usual form.
     *
     * @throws IllegalStateException if set twice (or after {@link #bearerToken})
     */
    public Builder authorization(Supplier<String> authorization) {
      Objects.requireNonNull(authorization, "authorization");
      if (this.authorization != null) {
        throw new IllegalStateException("authorization: already set (expected: set once)");
      }
      this.authorization = authorization;
      return this;
    }

    /**
     * Sends {@code "meta":{"authorization":"Bearer <token>"}} with every request and stream, the
     * token read from {@code token} when each attempt is sent (null: none sent). Send credentials
     * only over {@link #tls(TlsConfig)}: on plaintext anyone on the path can read them.
     *
     * @throws IllegalStateException if set twice (or after {@link #authorization})
     */
    public Builder bearerToken(Supplier<String> token) {
      Objects.requireNonNull(token, "token");
      return authorization(() -> {
        String t = token.get();
        return t == null ? null : "Bearer " + t;
      });
    }

    /**
     * The client.
     *
     * @throws IllegalStateException if no endpoint was set
     * @throws IllegalArgumentException if the TLS files cannot be read
     */
    public KeelClient build() {
      if (endpointSource == null && endpoints.isEmpty()) {
        throw new IllegalStateException("endpoint: not set (expected: endpoint(host, port))");
      }
      EndpointSource source = endpointSource != null ? endpointSource
          : EndpointSource.of(endpoints);
      DefaultKeelClient.Security security = new DefaultKeelClient.Security(
          tls == null ? null : ClientSsl.of(tls), authorization);
      return new DefaultKeelClient(security, new DefaultKeelClient.Config(source,
          reconnectBackoff, deadline, perAttemptTimeout, connectTimeout, retryPolicy, maxFrameBytes, ticker, scheduler,
          random, idPrefix, faultInjector, List.copyOf(listeners), slowCallThreshold,
          retryBudget != null ? retryBudget : RetryBudget.ofDefaults(), streamIdleTimeout));
    }
  }
}

package io.keelrpc.client;

import io.keelrpc.client.internal.DefaultKeelClient;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelFrameDecoder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * A {@code keel/1} client over one multiplexed connection (opened on first use, reopened after a
 * failure), with per-call deadlines, per-attempt timeouts and jittered exponential retries of
 * what is safe to retry.
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

  /** A builder; {@link Builder#endpoint(String, int)} is required. */
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

    private String host;
    private int port;
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

    Builder() {}

    /** The server to call (required). */
    public Builder endpoint(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
      }
      this.host = host;
      this.port = port;
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

    /** The source of uniform numbers in [0, 1) for jitter (default thread-local random). */
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
     * The client.
     *
     * @throws IllegalStateException if no endpoint was set
     */
    public KeelClient build() {
      if (host == null) {
        throw new IllegalStateException("endpoint: not set (expected: endpoint(host, port))");
      }
      return new DefaultKeelClient(new DefaultKeelClient.Config(host, port, deadline,
          perAttemptTimeout, connectTimeout, retryPolicy, maxFrameBytes, ticker, scheduler,
          random, idPrefix, faultInjector));
    }
  }
}

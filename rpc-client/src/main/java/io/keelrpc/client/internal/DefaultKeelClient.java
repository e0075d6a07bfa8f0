package io.keelrpc.client.internal;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.CallOptions;
import io.keelrpc.client.ClientStream;
import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.tls.internal.ClientSsl;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The Netty-based {@link KeelClient}: one lazily opened, multiplexed connection per endpoint,
 * chosen per attempt by an {@link EndpointPool}.
 */
public final class DefaultKeelClient implements KeelClient {
  /**
   * The validated configuration a {@link KeelClient.Builder} produces; {@code perAttemptTimeout},
   * {@code scheduler}, {@code idPrefix} and {@code faultInjector} may be null (the default).
   */
  public record Config(EndpointSource endpoints, RetryPolicy reconnectBackoff,
      Duration deadline, Duration perAttemptTimeout,
      Duration connectTimeout, RetryPolicy retryPolicy, int maxFrameBytes, Ticker ticker,
      Scheduler scheduler, DoubleSupplier random, String idPrefix,
      FaultInjector faultInjector, List<CallListener> listeners, Duration slowCallThreshold,
      RetryBudget retryBudget, Duration streamIdleTimeout) {}

  /**
   * TLS and credentials of a client; either may be null (none). Kept apart from {@link Config}
   * so that the two grow independently.
   */
  public record Security(ClientSsl sslContext, Supplier<String> authorization) {
    /** No TLS, no credentials. */
    public static final Security NONE = new Security(null, null);
  }

  private final Config config;
  private final Supplier<String> authorization;
  private final CallListener listener; // the client's listeners, combined once
  private final EventLoopGroup group;
  private final Scheduler scheduler;
  private final MessageCodec codec = new MessageCodec();
  private final String idPrefix;
  private final AtomicLong nextId = new AtomicLong();
  private final Set<RetryingCall<?>> active = ConcurrentHashMap.newKeySet();
  private final EndpointPool<Connection> pool;
  private final ClientStreams streams;
  private volatile boolean closed;

  public DefaultKeelClient(Config config) {
    this(Security.NONE, config);
  }

  /** A client with TLS and/or credentials. */
  public DefaultKeelClient(Security security, Config config) {
    this.config = config;
    this.authorization = security.authorization();
    this.listener = CallListener.composite(config.listeners());
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("keel-client", true));
    this.scheduler = config.scheduler() != null ? config.scheduler() : new EventLoopScheduler(group);
    this.idPrefix = config.idPrefix() != null ? config.idPrefix()
        : Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
    this.pool = new EndpointPool<>(new ConnectionTransport(group, codec, config.connectTimeout(),
        config.maxFrameBytes(), config.faultInjector(), security.sslContext()), scheduler, config.random(),
        config.reconnectBackoff());
    this.streams = new ClientStreams(this, config.streamIdleTimeout());
    pool.start(config.endpoints());
  }

  @Override
  public <P, R> CompletableFuture<R> callAsync(MethodDescriptor<P, R> method, P params,
      CallOptions options) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(options, "options");
    if (closed) {
      return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
    }
    byte[] paramsJson;
    try {
      paramsJson = params == null ? null : codec.writeValueAsBytes(params);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Duration budget = options.deadline() != null ? options.deadline() : config.deadline();
    Duration perAttempt = options.perAttemptTimeout() != null ? options.perAttemptTimeout()
        : config.perAttemptTimeout();
    boolean idempotent = options.idempotent() != null ? options.idempotent()
        : method.readOnly() || options.idempotencyKey() != null;
    RetryingCall<R> call = new RetryingCall<>(this, method, idPrefix + nextId.incrementAndGet(),
        paramsJson, callDeadline(budget),
        perAttempt == null ? Long.MAX_VALUE : perAttempt.toNanos(),
        options.retryPolicy() != null ? options.retryPolicy() : config.retryPolicy(),
        idempotent, options.idempotencyKey(), listenerFor(options));
    active.add(call);
    KeelContext.current().onCancel(() -> call.result.cancel(false)); // the caller's caller gave up
    if (closed) {
      call.abort(new ClientClosedException("the client is closed"));
    } else {
      call.start();
    }
    return call.result;
  }

  /**
   * The deadline of a call starting now with {@code budget}: never later than the deadline of the
   * {@link KeelContext} the caller runs in, so a call made from a server handler never gets more
   * time than the handler's own caller has left.
   */
  Deadline callDeadline(Duration budget) {
    return KeelContext.current().deadlineAfter(budget, config.ticker());
  }

  /**
   * True if a call's {@code result} was ended by its caller, not by an answer or a failure of its
   * own: cancelled, completed exceptionally by the caller with anything but a {@link KeelException}
   * (as {@code orTimeout} does), or failed because the client was closed. Its server is then told
   * with {@code $/cancel} (see {@link Connection#sendCancel}).
   */
  static boolean abandonedByCaller(CompletableFuture<?> result) {
    if (!result.isCompletedExceptionally()) {
      return false;
    }
    Throwable t = result.handle((r, e) -> e).getNow(null);
    return !(t instanceof KeelException) || t instanceof ClientClosedException;
  }

  /** A connection for a first attempt (see {@link #connection(Connection)}). */
  CompletableFuture<Connection> connection() {
    return connection(null);
  }

  /**
   * A connection for one attempt: to a healthy endpoint chosen by power-of-two-choices, other
   * than {@code avoid}'s when another is healthy. A retry passes the connection its failed
   * attempt used; null for a first attempt.
   */
  CompletableFuture<Connection> connection(Connection avoid) {
    if (closed) {
      return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
    }
    return pool.acquire(avoid);
  }

  @Override
  public List<EndpointStatus> endpoints() {
    return pool.status();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /** The client's listeners, plus the call's own if it has any. */
  private CallListener listenerFor(CallOptions options) {
    return options.listeners().isEmpty() ? listener
        : CallListener.composite(List.of(listener, CallListener.composite(options.listeners())));
  }

  RetryBudget retryBudget() {
    return config.retryBudget();
  }

  Duration slowCallThreshold() {
    return config.slowCallThreshold();
  }

  Ticker ticker() {
    return config.ticker();
  }

  MessageCodec codec() {
    return codec;
  }

  /** The {@code meta.authorization} to send now, or null; asked once per request sent. */
  String authorization() {
    return authorization == null ? null : authorization.get();
  }

  DoubleSupplier random() {
    return config.random();
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public <P, T> KeelStream<T> serverStream(MethodDescriptor<P, T> method, P params,
      StreamOptions options) {
    return streams.serverStream(method, params, options);
  }

  @Override
  public <I, R> ClientStream<I, R> clientStream(MethodDescriptor<I, R> method,
      StreamOptions options) {
    return streams.clientStream(method, options);
  }

  @Override
  public <I, O> BidiStream<I, O> bidiStream(MethodDescriptor<I, O> method,
      StreamOptions options) {
    return streams.bidiStream(method, options);
  }

  /** A new call or stream id: the client's prefix and a counter. */
  String nextId() {
    return idPrefix + nextId.incrementAndGet();
  }

  /** A call or stream let go of its connection. */
  void linkReleased() {
    pool.linkReleased();
  }

  void forget(RetryingCall<?> call) {
    active.remove(call);
    pool.linkReleased();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (RetryingCall<?> call : new ArrayList<>(active)) {
      call.abort(new ClientClosedException("the client was closed while the call was pending"));
    }
    streams.closeAll();
    pool.close();
    Future<?> terminated = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    if (!onOwnIoThread()) { // the loop cannot terminate while its own thread waits for it
      terminated.awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
  }

  private boolean onOwnIoThread() {
    for (EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}

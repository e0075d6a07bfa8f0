package io.keelrpc.client.internal;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** The Netty-based {@link KeelClient}: one lazily opened, multiplexed connection. */
public final class DefaultKeelClient implements KeelClient {
  /**
   * The validated configuration a {@link KeelClient.Builder} produces; {@code perAttemptTimeout},
   * {@code scheduler}, {@code idPrefix} and {@code faultInjector} may be null (the default).
   */
  public record Config(String host, int port, Duration deadline, Duration perAttemptTimeout,
      Duration connectTimeout, RetryPolicy retryPolicy, int maxFrameBytes, Ticker ticker,
      Scheduler scheduler, DoubleSupplier random, String idPrefix,
      FaultInjector faultInjector) {}

  private final Config config;
  private final EventLoopGroup group;
  private final Scheduler scheduler;
  private final MessageCodec codec = new MessageCodec();
  private final String idPrefix;
  private final AtomicLong nextId = new AtomicLong();
  private final Set<RetryingCall<?>> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  // guarded by this
  private Connection current;
  private CompletableFuture<Connection> connecting;

  public DefaultKeelClient(Config config) {
    this.config = config;
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("keel-client", true));
    this.scheduler = config.scheduler() != null ? config.scheduler() : new EventLoopScheduler(group);
    this.idPrefix = config.idPrefix() != null ? config.idPrefix()
        : Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "-";
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
        paramsJson, Deadline.after(budget, config.ticker()),
        perAttempt == null ? Long.MAX_VALUE : perAttempt.toNanos(),
        options.retryPolicy() != null ? options.retryPolicy() : config.retryPolicy(),
        idempotent, options.idempotencyKey());
    active.add(call);
    if (closed) {
      call.abort(new ClientClosedException("the client is closed"));
    } else {
      call.start();
    }
    return call.result;
  }

  /** The open connection, or a future that opens one. */
  synchronized CompletableFuture<Connection> connection() {
    if (closed) {
      return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
    }
    if (current != null && current.isUsable()) {
      return CompletableFuture.completedFuture(current);
    }
    if (connecting != null) {
      return connecting;
    }
    Connection conn = new Connection(codec);
    CompletableFuture<Connection> f = new CompletableFuture<>();
    connecting = f;
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            config.connectTimeout().toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // Calls issued while answers are being read share one flush when the read completes;
            // calls from other threads share a flush scheduled on the event loop.
            ch.pipeline().addLast(new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            ch.pipeline().addLast(new KeelFrameDecoder(config.maxFrameBytes()));
            if (config.faultInjector() != null) {
              // between decoder and connection: sees whole frames both ways
              ch.pipeline().addLast(config.faultInjector().newHandler(FaultInjector.Side.CLIENT));
            }
            ch.pipeline().addLast(conn);
          }
        });
    ChannelFuture cf = b.connect(config.host(), config.port());
    cf.addListener(done -> {
      synchronized (this) {
        connecting = null;
        if (done.isSuccess()) {
          conn.attach(cf.channel());
          if (closed) {
            conn.close();
          } else {
            current = conn;
          }
        }
      }
      if (done.isSuccess()) {
        f.complete(conn);
      } else {
        f.completeExceptionally(new TransportException("cannot connect to " + config.host() + ":"
            + config.port() + ": " + done.cause().getMessage(), false, done.cause()));
      }
    });
    return f;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  MessageCodec codec() {
    return codec;
  }

  DoubleSupplier random() {
    return config.random();
  }

  boolean isClosed() {
    return closed;
  }

  void forget(RetryingCall<?> call) {
    active.remove(call);
  }

  @Override
  public void close() {
    Connection conn;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      conn = current;
      current = null;
    }
    for (RetryingCall<?> call : new ArrayList<>(active)) {
      call.abort(new ClientClosedException("the client was closed while the call was pending"));
    }
    if (conn != null) {
      conn.close();
    }
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

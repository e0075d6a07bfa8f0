package io.keelrpc.server.internal;

import io.keelrpc.core.TransportException;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerListener;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty-based {@link KeelServer}. */
public final class DefaultKeelServer implements KeelServer {
  private static final Logger log = LoggerFactory.getLogger(DefaultKeelServer.class);
  /** The pipeline name of the {@link io.netty.handler.ssl.SslHandler}, when TLS is on. */
  public static final String TLS_HANDLER = "tls";

  /**
   * The validated configuration a {@link KeelServer.Builder} produces; {@code idempotencyStore}
   * and {@code faultInjector} may be null (none).
   */
  public record Config(InetSocketAddress address, int maxFrameBytes, int workerThreads,
      int ioThreads, int queueCapacity, int maxInFlightPerConnection, Duration overloadRetryAfter,
      Duration shutdownGracePeriod, IdempotencyStore idempotencyStore, Ticker ticker,
      Map<String, Registration<?, ?>> methods, FaultInjector faultInjector,
      ConnectionLimits limits, KeelServer.QueueOrder queueOrder) {}

  /**
   * TLS and authentication of a server; either may be null (none). Kept apart from
   * {@link Config} so that the two grow independently.
   */
  public record Security(SslContext sslContext, Authenticator authenticator) {}

  private final Config config;
  private final Security security;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup ioGroup;
  private final ThreadPoolExecutor workers;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final MessageCodec codec = new MessageCodec();
  private final Dispatcher dispatcher;
  private final HttpRoutes httpRoutes;
  private final ServerObserver observer;
  private Channel serverChannel;
  private boolean shutDown;

  private DefaultKeelServer(Config config, Security security, ServerListener listener,
      HttpOptions http) {
    this.config = config;
    this.security = security;
    this.observer = ServerObserver.of(listener, config.methods(), config.ticker());
    this.bossGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("keel-accept"));
    this.ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("keel-io"));
    this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(),
        0, TimeUnit.MILLISECONDS, WorkQueue.create(config.queueOrder(), config.workerThreads()),
        new DefaultThreadFactory("keel-worker", true));
    this.dispatcher = new Dispatcher(config.methods(), observer.observe(config.idempotencyStore()),
        workers, config.ticker(), codec, config.workerThreads() + config.queueCapacity(),
        config.overloadRetryAfter(), security.authenticator(), observer);
    this.httpRoutes = new HttpRoutes(codec, dispatcher, config.limits(), http.metrics());
  }

  /**
   * Binds and starts a server with TLS and/or an authenticator, reporting to {@code listener}
   * (null: none), with the HTTP side's options; used by {@link KeelServer.Builder#start()}.
   */
  public static KeelServer start(Security security, Config config, ServerListener listener,
      HttpOptions http) {
    DefaultKeelServer server = new DefaultKeelServer(config, security, listener, http);
    try {
      server.bind();
    } catch (RuntimeException e) {
      server.release();
      throw e;
    }
    server.observer.started(server.gauges());
    return server;
  }

  /** What {@link ServerListener#onStart} samples. */
  private ServerListener.Gauges gauges() {
    return new ServerListener.Gauges() {
      @Override
      public int queueDepth() {
        return workers.getQueue().size();
      }

      @Override
      public int admittedCalls() {
        return dispatcher.admitted();
      }

      @Override
      public int openConnections() {
        return config.limits().openConnections();
      }
    };
  }

  private void bind() {
    ServerBootstrap b = new ServerBootstrap()
        .group(bossGroup, ioGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            channels.add(ch);
            if (security.sslContext() != null) {
              // first of all: every byte behind it is plaintext; TLS-only when configured
              ch.pipeline().addFirst(TLS_HANDLER, security.sslContext().newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(ConnectionLimits.HANDLER_NAME,
                new ConnectionGuard(config.limits(), observer));
            // keel/1, Go's net/rpc/jsonrpc or HTTP, told apart by the connection's first bytes
            ch.pipeline().addLast(ProtocolSniffer.NAME, new ProtocolSniffer(
                () -> initKeel1(ch), () -> initGoJsonRpc(ch), () -> initHttp(ch)));
          }

          private void initKeel1(SocketChannel ch) {
            ch.pipeline().addLast("frames", new KeelFrameDecoder(config.maxFrameBytes()));
            if (config.faultInjector() != null) {
              // after the decoder, so it sees whole frames; before the endpoint, so a request it
              // drops is never counted in flight there
              ch.pipeline().addLast("faults",
                  config.faultInjector().newHandler(FaultInjector.Side.SERVER));
            }
            ch.pipeline().addLast("keel", new ServerChannelHandler(dispatcher, codec,
                config.maxInFlightPerConnection(), config.limits()));
          }

          private void initHttp(SocketChannel ch) {
            HttpPipeline.install(ch.pipeline(), new HttpChannelHandler(dispatcher, codec,
                httpRoutes, config.maxInFlightPerConnection()), config.maxFrameBytes());
          }

          private void initGoJsonRpc(SocketChannel ch) {
            // the fault injector reads keel/1 frames, so it is not installed here
            ch.pipeline().addLast("lines",
                new LineBasedFrameDecoder(config.maxFrameBytes(), true, true));
            ch.pipeline().addLast("go", new GoChannelHandler(dispatcher, codec,
                config.maxInFlightPerConnection(), config.maxFrameBytes()));
          }
        });
    try {
      serverChannel = b.bind(config.address()).syncUninterruptibly().channel();
    } catch (Exception e) {
      throw new TransportException("cannot bind " + config.address() + ": " + e.getMessage(),
          false, e);
    }
    log.info("keel server listening on {}", serverChannel.localAddress());
    int admissionLimit = config.workerThreads() + config.queueCapacity();
    if (config.maxInFlightPerConnection() <= admissionLimit) {
      log.warn("maxInFlightPerConnection ({}) is not above the admission limit (workerThreads + "
          + "queueCapacity = {}): a busy connection is paused before its calls are refused "
          + "OVERLOADED, and time its requests spend unread does not count against their "
          + "deadlines", config.maxInFlightPerConnection(), admissionLimit);
    }
  }

  @Override
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public int openConnections() {
    return config.limits().openConnections();
  }

  @Override
  public synchronized void shutdown(Duration gracePeriod) {
    if (shutDown) {
      return;
    }
    shutDown = true;
    serverChannel.close().syncUninterruptibly();
    try {
      dispatcher.drain().get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("{} calls still running after the grace period of {} ms; closing anyway",
          dispatcher.admitted(), gracePeriod.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("draining failed", e);
    }
    // Answers of the last calls may be written but not yet flushed (writes are flushed in
    // batches); a flush queued now runs after them on each event loop, and before the close.
    channels.flush();
    channels.close().awaitUninterruptibly();
    release();
    log.info("keel server on {} stopped", serverChannel.localAddress());
  }

  private void release() {
    workers.shutdownNow();
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    bossGroup.terminationFuture().awaitUninterruptibly();
  }

  @Override
  public void close() {
    shutdown(config.shutdownGracePeriod());
  }
}

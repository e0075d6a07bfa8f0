package io.keelrpc.client.internal;

import io.keelrpc.core.TransportException;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.tls.internal.ClientSsl;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MessageCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Opens {@link Connection}s over Netty for an {@link EndpointPool}. */
final class ConnectionTransport implements EndpointPool.Transport<Connection> {
  /** The pipeline name of the {@link SslHandler}, when TLS is on. */
  static final String TLS_HANDLER = "tls";
  private final EventLoopGroup group;
  private final MessageCodec codec;
  private final Duration connectTimeout;
  private final int maxFrameBytes;
  private final FaultInjector faultInjector;
  /** Null: plaintext. */
  private final ClientSsl sslContext;

  ConnectionTransport(EventLoopGroup group, MessageCodec codec, Duration connectTimeout,
      int maxFrameBytes, FaultInjector faultInjector) {
    this(group, codec, connectTimeout, maxFrameBytes, faultInjector, null);
  }

  ConnectionTransport(EventLoopGroup group, MessageCodec codec, Duration connectTimeout,
      int maxFrameBytes, FaultInjector faultInjector, ClientSsl sslContext) {
    this.sslContext = sslContext;
    this.group = group;
    this.codec = codec;
    this.connectTimeout = connectTimeout;
    this.maxFrameBytes = maxFrameBytes;
    this.faultInjector = faultInjector;
  }

  @Override
  public CompletableFuture<Connection> open(InetSocketAddress address,
      Consumer<Connection> onClosed) {
    Connection conn = new Connection(codec);
    CompletableFuture<Connection> f = new CompletableFuture<>();
    Bootstrap b = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (sslContext != null) {
              // first: the frames behind it are plaintext; the handshake completes before the
              // connection is handed out (see below), so a failed one fails the attempt
              ch.pipeline().addLast(TLS_HANDLER, sslContext.newHandler(ch.alloc(),
                  address.getHostString(), address.getPort()));
            }
            // Calls issued while answers are being read share one flush when the read completes;
            // calls from other threads share a flush scheduled on the event loop.
            ch.pipeline().addLast(new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            ch.pipeline().addLast(new KeelFrameDecoder(maxFrameBytes));
            if (faultInjector != null) {
              // between decoder and connection: sees whole frames both ways
              ch.pipeline().addLast(faultInjector.newHandler(FaultInjector.Side.CLIENT));
            }
            ch.pipeline().addLast(conn);
          }
        });
    ChannelFuture cf = b.connect(address);
    cf.addListener(connected -> {
      if (!connected.isSuccess() || sslContext == null) {
        ready(cf, connected, conn, onClosed, f);
        return;
      }
      SslHandler ssl = cf.channel().pipeline().get(SslHandler.class);
      ssl.handshakeFuture().addListener(handshake -> {
        if (!handshake.isSuccess()) {
          cf.channel().close();
          f.completeExceptionally(new TransportException("TLS handshake with " + address
              + " failed: " + handshake.cause().getMessage(), false, handshake.cause()));
          return;
        }
        ready(cf, handshake, conn, onClosed, f);
      });
    });
    return f;
  }

  private static void ready(ChannelFuture cf, Future<?> done, Connection conn,
      Consumer<Connection> onClosed, CompletableFuture<Connection> f) {
    if (done.isSuccess()) {
      // registered before attach: the endpoint is marked down before the calls on it fail
      cf.channel().closeFuture().addListener(closed -> onClosed.accept(conn));
      conn.attach(cf.channel());
      f.complete(conn);
    } else {
      f.completeExceptionally(done.cause());
    }
  }

  @Override
  public boolean isOpen(Connection link) {
    return link.isUsable();
  }

  @Override
  public int outstanding(Connection link) {
    return link.outstanding();
  }

  @Override
  public void close(Connection link) {
    link.close();
  }
}

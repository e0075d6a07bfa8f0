package io.keelrpc.bench.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty set-up the bare comparators share, chosen to match Keel's: NIO transport, one accept
 * thread and as many I/O threads as cores on the server, one I/O thread on the client,
 * {@code TCP_NODELAY} on both sides, the default pooled allocator. Clients consolidate flushes
 * with Netty's stock {@link FlushConsolidationHandler} exactly as Keel's client does (explicit
 * flush after 256 pending flushes, consolidating outside reads too), so that "doing nothing" is
 * not handicapped by one write syscall per call; servers write answers as they are decoded and
 * flush once per socket read.
 */
final class NettySupport {
  static final int CONNECT_TIMEOUT_MS = 3_000;

  /** The client's flush policy, as Keel's client: a new handler per channel (not sharable). */
  static FlushConsolidationHandler clientFlushConsolidation() {
    return new FlushConsolidationHandler(256, true);
  }

  private NettySupport() {}

  /** A bound server; {@link #close()} releases its threads. */
  static final class BoundServer implements EchoServer {
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final Channel channel;

    private BoundServer(EventLoopGroup boss, EventLoopGroup io, Channel channel) {
      this.boss = boss;
      this.io = io;
      this.channel = channel;
    }

    @Override
    public int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      boss.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
  }

  /** Binds {@code 127.0.0.1:port}; each accepted channel gets {@code childHandler}. */
  static BoundServer bind(String name, int port, ChannelHandler childHandler) {
    EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true));
    EventLoopGroup io = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(),
        new DefaultThreadFactory(name + "-io", true));
    try {
      Channel ch = new ServerBootstrap()
          .group(boss, io)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(childHandler)
          .bind(new InetSocketAddress("127.0.0.1", port))
          .syncUninterruptibly()
          .channel();
      return new BoundServer(boss, io, ch);
    } catch (RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** A client channel to {@code host:port} on its own one-thread event loop group. */
  static Channel connect(String name, String host, int port, ChannelHandler handler) {
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory(name, true));
    try {
      Channel ch = new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
          .handler(handler)
          .connect(host, port)
          .syncUninterruptibly()
          .channel();
      ch.closeFuture().addListener(f -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
      return ch;
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Closes a client channel and waits (bounded) for its event loop to end. */
  static void closeClient(Channel ch) {
    ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    ch.eventLoop().parent().shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}

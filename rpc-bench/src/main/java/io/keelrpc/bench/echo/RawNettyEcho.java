package io.keelrpc.bench.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * The near-limit of this path: the {@code keel/1} framing (4-byte big-endian length + payload)
 * with no JSON at all. The server echoes each frame byte for byte, header included, without
 * copying it; the client matches answers to calls in order (one connection answers in order).
 *
 * <p>Server writes: each frame is written as it is decoded and the channel is flushed once per
 * socket read ({@code channelReadComplete}), Netty's idiomatic echo and Keel's server's policy too;
 * {@code flushEach} flushes every answer at once instead (for diagnosis).
 */
public final class RawNettyEcho {
  /** The largest frame accepted, as Keel's default. */
  static final int MAX_FRAME_BYTES = 1 << 20;

  private RawNettyEcho() {}

  /** Starts a raw echo server on {@code 127.0.0.1:port} (0 for any free port). */
  public static EchoServer startServer(int port, boolean flushEach) {
    EchoHandler echo = new EchoHandler(flushEach);
    return NettySupport.bind("raw-bench", port, new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        // Keeps the length prefix (strip 0): the frame goes back exactly as it came.
        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES + 4, 0, 4, 0, 0),
            echo);
      }
    });
  }

  @Sharable
  private static final class EchoHandler extends ChannelInboundHandlerAdapter {
    private final boolean flushEach;

    EchoHandler(boolean flushEach) {
      this.flushEach = flushEach;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (flushEach) {
        ctx.writeAndFlush(msg, ctx.voidPromise());
      } else {
        ctx.write(msg, ctx.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** A client of one connection to {@code host:port}. */
  public static EchoClient connect(String host, int port) {
    Client client = new Client();
    Channel ch = NettySupport.connect("raw-bench-client", host, port,
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(NettySupport.clientFlushConsolidation(),
                new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES + 4, 0, 4, 0, 4), client);
          }
        });
    client.channel = ch;
    return client;
  }

  private static final class Client extends ChannelInboundHandlerAdapter implements EchoClient {
    private record Pending(Payload payload, Listener listener) {}

    // Touched only on the channel's event loop: sends and answers are in the same order there.
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean closed;
    private volatile Channel channel;

    @Override
    public void call(Payload payload, Listener listener) {
      Channel ch = channel;
      if (ch.eventLoop().inEventLoop()) {
        send(ch, payload, listener);
      } else {
        try {
          ch.eventLoop().execute(() -> send(ch, payload, listener));
        } catch (RuntimeException e) {
          listener.done(e);
        }
      }
    }

    private void send(Channel ch, Payload payload, Listener listener) {
      if (closed || !ch.isActive()) {
        listener.done(new ClosedChannelException());
        return;
      }
      pending.add(new Pending(payload, listener));
      ByteBuf frame = ch.alloc().buffer(4 + payload.size());
      frame.writeInt(payload.size()).writeBytes(payload.bytes());
      ch.writeAndFlush(frame, ch.voidPromise()); // a failed write closes the channel
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      try {
        Pending p = pending.poll();
        if (p == null) {
          ctx.close(); // an answer nobody asked for: the stream is out of step
          return;
        }
        byte[] sent = p.payload().bytes();
        boolean same = frame.readableBytes() == sent.length
            && ByteBufUtil.equals(frame, frame.readerIndex(), Unpooled.wrappedBuffer(sent), 0,
            sent.length);
        p.listener().done(same ? null : new EchoMismatchException("raw: the answer differs"));
      } finally {
        frame.release();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      closed = true;
      IOException gone = new IOException("raw: connection closed before the answer");
      Pending p;
      while ((p = pending.poll()) != null) {
        p.listener().done(gone);
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    @Override
    public void close() {
      NettySupport.closeClient(channel);
    }
  }
}

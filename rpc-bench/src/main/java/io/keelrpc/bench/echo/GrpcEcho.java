package io.keelrpc.bench.echo;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java unary echo over {@code grpc-netty-shaded}, configured for speed: a hand-written
 * {@code byte[]} marshaller (no protobuf), {@code directExecutor()} on the server and the channel
 * (handlers and callbacks run on the Netty event loops, no hand-off), plaintext, one
 * {@link ManagedChannel} (one HTTP/2 connection) per client.
 *
 * <p>Transport: {@link Transport#NIO} for implementation {@code grpc}, the same Java NIO
 * transport Keel and the other comparators use, so that the comparison is of the stacks and not of
 * epoll vs NIO; {@link Transport#EPOLL} (gRPC's own default on Linux) is implementation
 * {@code grpc-epoll}. Event loops as everywhere else here: the server one accept thread and as
 * many I/O threads as cores, the client one I/O thread. No deadline is set on the calls (gRPC has
 * none by default; Keel's client applies its default 10 s one).
 */
public final class GrpcEcho {
  /** The socket transport of both sides. */
  public enum Transport {
    NIO,
    EPOLL
  }

  /** Passes {@code byte[]} through unchanged: the cheapest possible marshaller. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** {@code keel.bench.Echo/Echo}, unary, {@code byte[]} in and out. */
  public static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("keel.bench.Echo", "Echo"))
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .setIdempotent(false)
          .setSafe(false)
          .build();

  private GrpcEcho() {}

  private static EventLoopGroup group(Transport t, int threads, String name) {
    DefaultThreadFactory tf = new DefaultThreadFactory(name, true);
    return t == Transport.EPOLL ? new EpollEventLoopGroup(threads, tf)
        : new NioEventLoopGroup(threads, tf);
  }

  private static void checkAvailable(Transport t) {
    if (t == Transport.EPOLL && !Epoll.isAvailable()) {
      throw new IllegalStateException("grpc-epoll: native epoll is not available here: "
          + Epoll.unavailabilityCause());
    }
  }

  /** Starts a gRPC echo server on {@code 127.0.0.1:port} (0 for any free port). */
  public static EchoServer startServer(int port, Transport transport) {
    checkAvailable(transport);
    EventLoopGroup boss = group(transport, 1, "grpc-bench-boss");
    EventLoopGroup workers = group(transport, Runtime.getRuntime().availableProcessors(),
        "grpc-bench-worker");
    ServerServiceDefinition service = ServerServiceDefinition.builder("keel.bench.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall(
            (byte[] request, StreamObserver<byte[]> response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
        .build();
    Server server;
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .channelType(transport == Transport.EPOLL ? EpollServerSocketChannel.class
              : NioServerSocketChannel.class)
          .bossEventLoopGroup(boss)
          .workerEventLoopGroup(workers)
          .directExecutor()
          .addService(service)
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return new EchoServer() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() {
        server.shutdownNow();
        try {
          server.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
          workers.shutdownGracefully(0, 1, TimeUnit.SECONDS)
              .awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
      }
    };
  }

  /** A client of one channel (one HTTP/2 connection) to {@code host:port}. */
  public static EchoClient connect(String host, int port, Transport transport) {
    checkAvailable(transport);
    EventLoopGroup loop = group(transport, 1, "grpc-bench-client");
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
        .channelType(transport == Transport.EPOLL ? EpollSocketChannel.class
            : NioSocketChannel.class)
        .eventLoopGroup(loop)
        .usePlaintext()
        .directExecutor()
        .build();
    return new EchoClient() {
      @Override
      public void call(Payload payload, Listener listener) {
        byte[] sent = payload.bytes();
        try {
          ClientCalls.asyncUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), sent,
              new StreamObserver<byte[]>() {
                private byte[] reply;

                @Override
                public void onNext(byte[] value) {
                  reply = value;
                }

                @Override
                public void onError(Throwable t) {
                  listener.done(t);
                }

                @Override
                public void onCompleted() {
                  listener.done(Arrays.equals(sent, reply) ? null
                      : new EchoMismatchException("grpc: the answer differs"));
                }
              });
        } catch (RuntimeException e) {
          listener.done(e);
        }
      }

      @Override
      public void close() {
        channel.shutdownNow();
        try {
          channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
      }
    };
  }
}

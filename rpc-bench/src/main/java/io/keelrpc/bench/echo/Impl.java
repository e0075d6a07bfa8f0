package io.keelrpc.bench.echo;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The echo implementations the load generator drives, by their command-line names. */
public enum Impl {
  /** Keel with its idempotency cache on (the default server). */
  KEEL_CACHE("keel-cache"),
  /** Keel with {@code .idempotency(false)}. */
  KEEL_NOCACHE("keel-nocache"),
  /** gRPC-java, direct executors, NIO transport. */
  GRPC("grpc"),
  /** gRPC-java, direct executors, native epoll transport (gRPC's own default on Linux). */
  GRPC_EPOLL("grpc-epoll"),
  /** JSON-RPC over the keel/1 framing on bare Netty + Jackson. */
  BARE("bare"),
  /** Length-prefixed frames echoed byte for byte on bare Netty. */
  RAW("raw");

  private final String cliName;

  Impl(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in RESULT lines. */
  public String cliName() {
    return cliName;
  }

  /** The implementation called {@code name}. */
  public static Impl parse(String name) {
    for (Impl i : values()) {
      if (i.cliName.equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("impl: \"" + name + "\" (expected one of: "
        + Arrays.stream(values()).map(Impl::cliName).collect(Collectors.joining(", ")) + ")");
  }

  /** Parses a comma-separated list of names. */
  public static List<Impl> parseList(String names) {
    return Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(Impl::parse).toList();
  }

  /**
   * Starts this implementation's server on {@code 127.0.0.1:port} (0 for any free port).
   *
   * @param flushEach for {@code bare} and {@code raw}: flush every answer at once instead
   *     of once per socket read; ignored by the others
   */
  public EchoServer startServer(int port, boolean flushEach) {
    return switch (this) {
      case KEEL_CACHE -> KeelEcho.startServer(port, true);
      case KEEL_NOCACHE -> KeelEcho.startServer(port, false);
      case GRPC -> GrpcEcho.startServer(port, GrpcEcho.Transport.NIO);
      case GRPC_EPOLL -> GrpcEcho.startServer(port, GrpcEcho.Transport.EPOLL);
      case BARE -> BareJsonRpcEcho.startServer(port, flushEach);
      case RAW -> RawNettyEcho.startServer(port, flushEach);
    };
  }

  /** A client of one connection (one channel) to this implementation's server. */
  public EchoClient connect(String host, int port) {
    return switch (this) {
      case KEEL_CACHE, KEEL_NOCACHE -> KeelEcho.connect(host, port);
      case GRPC -> GrpcEcho.connect(host, port, GrpcEcho.Transport.NIO);
      case GRPC_EPOLL -> GrpcEcho.connect(host, port, GrpcEcho.Transport.EPOLL);
      case BARE -> BareJsonRpcEcho.connect(host, port);
      case RAW -> RawNettyEcho.connect(host, port);
    };
  }

  @Override
  public String toString() {
    return cliName;
  }
}

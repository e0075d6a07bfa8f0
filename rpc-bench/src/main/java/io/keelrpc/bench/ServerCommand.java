package io.keelrpc.bench;

import io.keelrpc.bench.echo.EchoServer;
import io.keelrpc.bench.echo.Impl;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code server}: one implementation's echo server on loopback. Prints its bound port alone on
 * the first line of stdout, then serves until its stdin closes (the driver closed it, or died) or
 * it is terminated.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {"Serves one implementation's echo on 127.0.0.1: prints the bound port on "
        + "stdout, then serves until stdin closes (or SIGTERM).",
        "Started by 'run' in its own JVM; useful alone for profiling."})
public final class ServerCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--impl", required = true, paramLabel = "IMPL",
      description = "keel-cache, keel-nocache, grpc, grpc-epoll, bare, raw, or overload "
          + "(the overload command's server: work and stats, see --workers).")
  private String impl;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "overload only: worker threads (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--queue", defaultValue = "8", paramLabel = "N",
      description = "overload only: queue capacity (default: ${DEFAULT-VALUE}).")
  private int queue;

  @Option(names = "--service-time", defaultValue = "1ms",
      converter = io.keelrpc.bench.load.DurationConverter.class, paramLabel = "TIME",
      description = "overload only: work per call (default: ${DEFAULT-VALUE}).")
  private java.time.Duration serviceTime;

  @Option(names = "--work", defaultValue = "cpu", paramLabel = "KIND",
      description = "overload only: cpu or park (default: ${DEFAULT-VALUE}).")
  private String work;

  @Option(names = "--queue-order", defaultValue = "FIFO", paramLabel = "ORDER",
      description = "overload only: FIFO or ADAPTIVE_LIFO (default: ${DEFAULT-VALUE}).")
  private io.keelrpc.server.KeelServer.QueueOrder queueOrder;

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "Loopback port, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--flush-each",
      description = "bare and raw only: flush every answer instead of once per "
          + "socket read.")
  private boolean flushEach;

  @Override
  public Integer call() throws IOException {
    AutoCloseable server;
    int bound;
    if (impl.equals("overload")) {
      if (port != 0) {
        throw new IllegalArgumentException("--impl overload: --port must be 0");
      }
      io.keelrpc.bench.overload.OverloadServer s = new io.keelrpc.bench.overload.OverloadServer(
          workers, queue, serviceTime, work.equals("cpu"), queueOrder);
      server = s;
      bound = s.port();
    } else {
      EchoServer s = Impl.parse(impl).startServer(port, flushEach);
      server = s;
      bound = s.port();
    }
    Runnable close = () -> {
      try {
        server.close();
      } catch (Exception e) {
        // closing anyway
      }
    };
    Thread onTerm = new Thread(close, "bench-server-shutdown");
    Runtime.getRuntime().addShutdownHook(onTerm);
    PrintWriter out = spec.commandLine().getOut();
    out.println(bound);
    out.flush();
    awaitEndOfInput(System.in);
    try {
      Runtime.getRuntime().removeShutdownHook(onTerm);
    } catch (IllegalStateException e) {
      return 0; // already shutting down: the hook closes the server
    }
    close.run();
    return 0;
  }

  private static void awaitEndOfInput(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    while (in.read(buf) >= 0) {
      // discard: stdin only signals that the parent is still there
    }
  }
}

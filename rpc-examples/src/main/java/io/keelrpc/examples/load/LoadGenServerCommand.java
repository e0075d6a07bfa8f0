package io.keelrpc.examples.load;

import io.keelrpc.examples.HelpOption;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen-server} (hidden): the server JVM that {@code loadgen} starts. Prints its bound
 * port alone on the first line of stdout, then serves {@code echo} on loopback until its stdin
 * closes (the parent closed it or died) or it is terminated.
 */
@Command(
    name = "loadgen-server",
    hidden = true,
    description = "The echo server loadgen starts in its own JVM: prints its bound port on "
        + "stdout, serves until stdin closes.")
public final class LoadGenServerCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "Loopback port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--cache", defaultValue = "on", paramLabel = "on|off",
      description = "The server's idempotency cache (default: ${DEFAULT-VALUE}).")
  private CacheMode cache;

  @Override
  public Integer call() throws IOException {
    if (cache == CacheMode.both) {
      throw new ParameterException(spec.commandLine(),
          "--cache: both (expected: on or off)");
    }
    KeelServer server = EchoService.registerOn(KeelServer.builder().host("127.0.0.1").port(port))
        .idempotency(cache == CacheMode.on)
        .start();
    Thread onTerm = new Thread(server::close, "loadgen-server-shutdown");
    Runtime.getRuntime().addShutdownHook(onTerm);
    PrintWriter out = spec.commandLine().getOut();
    out.println(server.port());
    out.flush();
    awaitEndOfInput(System.in);
    try {
      Runtime.getRuntime().removeShutdownHook(onTerm);
    } catch (IllegalStateException e) {
      return 0; // already shutting down: the hook closes the server
    }
    server.close();
    return 0;
  }

  private static void awaitEndOfInput(InputStream in) throws IOException {
    byte[] buf = new byte[256];
    while (in.read(buf) >= 0) {
      // discard: stdin only signals the parent's presence
    }
  }
}

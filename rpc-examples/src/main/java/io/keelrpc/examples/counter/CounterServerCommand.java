package io.keelrpc.examples.counter;

import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.cli.ConfigFileOption;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code counter-server}: serves {@code inc}/{@code get} until Ctrl+C or SIGTERM. */
@Command(
    name = "counter-server",
    description = {
        "Serves the counter (inc, get) on a keel/1 port until Ctrl+C or SIGTERM, then shuts "
            + "down gracefully: new calls are refused, calls in progress finish.",
        "Try it with counter-client from another terminal."})
public final class CounterServerCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Mixin
  private ConfigFileOption config;

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  private String host;

  @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
      description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    KeelServer server = new InMemoryCounterService()
        .registerOn(KeelServer.builder().host(host).port(port))
        .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("counter-server: shutting down");
      out.flush();
      server.close();
      out.println("counter-server: stopped");
      out.flush();
      stopped.countDown();
    }, "counter-server-shutdown"));
    out.println("counter-server: listening on " + host + ":" + server.port()
        + " (Ctrl+C to stop)");
    out.flush();
    stopped.await();
    return 0;
  }
}

package io.keelrpc.examples.counter;

import io.keelrpc.client.KeelClient;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code counter-demo}: counter-server and counter-client in one process, then exit. */
@Command(
    name = "counter-demo",
    description = "Starts a counter server on a free loopback port, calls inc(key, 2) three "
        + "times and get(key) once, prints each reply, and exits (status 0 if get read 6).")
public final class CounterDemoCommand implements Callable<Integer> {
  private static final long DELTA = 2;

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--key", defaultValue = "counter", paramLabel = "KEY",
      description = "The counter to use (default: ${DEFAULT-VALUE}).")
  private String key;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KeelServer server = new InMemoryCounterService()
            .registerOn(KeelServer.builder().host("127.0.0.1").port(0))
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      out.println("# counter server on 127.0.0.1:" + server.port()
          + "; calling inc(\"" + key + "\", " + DELTA + ") three times, then get(\"" + key + "\")");
      List<Counter> replies = CounterCalls.incThreeTimesThenGet(client, key, DELTA, out);
      long value = replies.get(replies.size() - 1).value();
      boolean ok = value == 3 * DELTA;
      out.println(ok
          ? "# ok: three increments of " + DELTA + " read back as " + value
          : "# unexpected: three increments of " + DELTA + " read back as " + value);
      out.flush();
      return ok ? 0 : 1;
    }
  }
}

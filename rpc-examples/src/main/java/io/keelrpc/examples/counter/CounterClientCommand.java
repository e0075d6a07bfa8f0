package io.keelrpc.examples.counter;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.KeelException;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.cli.ConfigFileOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code counter-client}: the seed's demo against a running {@code counter-server}. */
@Command(
    name = "counter-client",
    description = {
        "Calls inc(key, delta) three times and get(key) once on a counter-server, printing "
            + "each reply as a JSON line.",
        "Each call has a 250 ms per-attempt timeout and up to 3 retries with jittered "
            + "exponential backoff; retries are safe because the server deduplicates by call id."})
public final class CounterClientCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Mixin
  private ConfigFileOption config;

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "The server's address (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
      description = "The server's port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--key", defaultValue = "counter", paramLabel = "KEY",
      description = "The counter to increment (default: ${DEFAULT-VALUE}).")
  private String key;

  @Option(names = "--delta", defaultValue = "2", paramLabel = "N",
      description = "The amount each inc adds (default: ${DEFAULT-VALUE}).")
  private long delta;

  @Override
  public Integer call() {
    try (KeelClient client = KeelClient.builder().endpoint(host, port).build()) {
      CounterCalls.incThreeTimesThenGet(client, key, delta, spec.commandLine().getOut());
      return 0;
    } catch (KeelException e) {
      spec.commandLine().getErr().println("counter-client: " + host + ":" + port + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage());
      return 1;
    }
  }
}

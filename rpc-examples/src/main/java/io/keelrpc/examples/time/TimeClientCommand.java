package io.keelrpc.examples.time;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.stream.resume.ResumableStream;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.cli.ConfigFileOption;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code time-client}: follows {@code TimeService.Stream} to its final update, reconnecting with
 * jittered backoff and resuming at the next update when the connection is lost (for example when
 * the server restarts). Prints one JSON line per update.
 */
@Command(name = "time-client",
    description = "Follows a time-server's native keel/1 time stream to its final update, "
        + "reconnecting and resuming where it left off when the connection is lost. Prints one "
        + "line per update; exits 0 after the final one.")
public final class TimeClientCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Mixin
  ConfigFileOption config;

  @Spec
  CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: "
      + "${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7080", description = "Server port (default: "
      + "${DEFAULT-VALUE}, time-server's).")
  int port;

  @Option(names = "--interval", defaultValue = "1", description = "UpdateInterval in seconds "
      + "(default: ${DEFAULT-VALUE}).")
  long interval;

  @Option(names = "--duration", defaultValue = "5", description = "Duration in seconds "
      + "(default: ${DEFAULT-VALUE}).")
  long duration;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (KeelClient client = KeelClient.builder().endpoint(host, port).build()) {
      CompletableFuture<TimeResponse> last = follow(client, interval, duration, u -> {
        out.printf("{\"SequenceNum\":%d,\"TimeString\":\"%s\",\"IsFinal\":%b}%n",
            u.sequenceNum(), u.timeString(), u.finalUpdate());
        out.flush();
      });
      TimeResponse fin = last.get(duration + 60, TimeUnit.SECONDS);
      return fin.finalUpdate() ? 0 : 1;
    }
  }

  /**
   * Follows the stream from update 0, resuming after lost connections, and completes with the
   * final update; {@code onUpdate} sees every update once, in order.
   */
  public static CompletableFuture<TimeResponse> follow(KeelClient client, long interval,
      long duration, java.util.function.Consumer<TimeResponse> onUpdate) {
    CompletableFuture<TimeResponse> finalUpdate = new CompletableFuture<>();
    ResumableStream<TimeResponse>[] holder = newHolder();
    holder[0] = ResumableStream.builder(new KeelTimeSource(client, interval, duration))
        .start(s -> {
          onUpdate.accept(s.item());
          if (s.item().finalUpdate()) {
            finalUpdate.complete(s.item());
          }
        });
    holder[0].done().whenComplete((v, e) -> {
      if (e != null) {
        finalUpdate.completeExceptionally(e);
      }
    });
    finalUpdate.whenComplete((v, e) -> holder[0].close());
    return finalUpdate;
  }

  @SuppressWarnings("unchecked")
  private static ResumableStream<TimeResponse>[] newHolder() {
    return (ResumableStream<TimeResponse>[]) new ResumableStream<?>[1];
  }
}

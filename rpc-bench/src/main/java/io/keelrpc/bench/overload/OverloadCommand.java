package io.keelrpc.bench.overload;

import io.keelrpc.bench.load.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code overload}: offers {@code --load-factor} times the server's measured capacity and
 * compares Keel's client (retry budget, backoff honouring {@code retryAfterMs}) with a naive one
 * (3 immediate retries, no budget). Prints one {@code RESULT} line per run and a table.
 *
 * <p>Example: {@code java -jar rpc-bench/target/keel-bench.jar overload --duration 10s}.
 */
@Command(
    name = "overload",
    mixinStandardHelpOptions = true,
    description = {"Overload on loopback: a server of small known capacity (workers x service "
        + "time, bounded queue) in this JVM; capacity measured first (closed loop, no retries), "
        + "then an open-loop run at load-factor x capacity per client kind with retries on.",
        "Reports goodput, attempts per call and p50/p99 latency of successful calls."})
public final class OverloadCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Server worker threads (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--queue", defaultValue = "8", paramLabel = "N",
      description = "Server queue capacity beyond running calls (default: ${DEFAULT-VALUE}).")
  private int queue;

  @Option(names = "--service-time", defaultValue = "2ms", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Time each call holds a worker (default: "
      + "${DEFAULT-VALUE}).")
  private Duration serviceTime;

  @Option(names = "--work", defaultValue = "park", paramLabel = "KIND",
      description = "park: each call waits its service time; cpu: it spins (CPU-bound) "
          + "(default: ${DEFAULT-VALUE}).")
  private String work;

  @Option(names = "--load-factor", defaultValue = "3", paramLabel = "X",
      description = "Offered load as a multiple of the measured capacity (default: "
          + "${DEFAULT-VALUE}).")
  private double loadFactor;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Sending window of each run (default: ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--capacity-duration", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Window of the capacity probe, after as long a warm-up "
      + "(default: ${DEFAULT-VALUE}).")
  private Duration capacityDuration;

  @Option(names = "--deadline", defaultValue = "2s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Deadline of each call (naive: of each attempt) "
      + "(default: ${DEFAULT-VALUE}).")
  private Duration deadline;

  @Option(names = "--clients", defaultValue = "keel,naive", split = ",", paramLabel = "KIND",
      description = "Client kinds to run, in order: keel, naive (default: ${DEFAULT-VALUE}).")
  private List<String> clients;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (!work.equals("park") && !work.equals("cpu")) {
      throw new IllegalArgumentException("--work: " + work + " (expected: park or cpu)");
    }
    try (OverloadServer server =
        new OverloadServer(workers, queue, serviceTime, work.equals("cpu"))) {
      OverloadDriver driver = new OverloadDriver("127.0.0.1", server.port(), server, deadline);
      double capacity = driver.measureCapacity(workers + queue, capacityDuration,
          capacityDuration);
      double nominal = workers * 1e9 / serviceTime.toNanos();
      out.printf(Locale.ROOT,
          "capacity: %.0f calls/s measured (nominal %.0f: %d workers x %s, %s, queue %d)%n",
          capacity, nominal, workers, DurationConverter.format(serviceTime), work, queue);
      out.flush();
      List<OverloadResult> results = new ArrayList<>();
      for (String kind : clients) {
        OverloadResult r = driver.run(kind, capacity * loadFactor, duration);
        results.add(r);
        out.println(r.resultLine(capacity));
        out.flush();
      }
      out.println();
      out.println("| client | offered/s | goodput/s | goodput / capacity | attempts/call "
          + "| server executed/s | p50 (ms) | p99 (ms) |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      for (OverloadResult r : results) {
        out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.2f | %.0f | %.1f | %.1f |%n",
            r.client(), r.offeredPerSec(), r.goodput(), r.goodput() / capacity,
            r.attemptsPerCall(), r.executedPerSec(), r.p50Micros() / 1000.0,
            r.p99Micros() / 1000.0);
      }
      out.flush();
    }
    return 0;
  }
}

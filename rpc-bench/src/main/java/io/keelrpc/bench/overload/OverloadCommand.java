package io.keelrpc.bench.overload;

import io.keelrpc.bench.load.DurationConverter;
import io.keelrpc.bench.load.JavaProcesses;
import io.keelrpc.bench.load.ServerProcess;
import io.keelrpc.server.KeelServer;
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
 * compares Keel's client (retry budget, backoff honouring {@code retryAfterMs}, deadlines sent
 * to the server) with naive ones (3 retries, no budget; {@code seed}: no deadline sent either).
 * Prints one {@code RESULT} line per run and a table.
 *
 * <p>Example: {@code java -jar rpc-bench/target/keel-bench.jar overload --duration 10s}.
 */
@Command(
    name = "overload",
    mixinStandardHelpOptions = true,
    description = {"Overload on loopback: a server of small known capacity (workers x service "
        + "time of CPU-bound work, bounded queue) in a child JVM; capacity measured first "
        + "(closed loop, workers + min(queue, 8) callers, no retries, median of 3 windows after "
        + "a warm-up), "
        + "then an open-loop run at load-factor x capacity per client kind with retries on.",
        "Reports goodput, attempts per call and p50/p99 latency of successful calls."})
public final class OverloadCommand implements Callable<Integer> {
  /** Callers of the capacity probe beyond one per worker: the queue it keeps filled. */
  private static final int CAPACITY_QUEUED_LANES = 8;

  @Spec
  private CommandSpec spec;

  @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
      description = "Server worker threads (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--queue", defaultValue = "8", paramLabel = "N",
      description = "Server queue capacity beyond running calls (default: ${DEFAULT-VALUE}).")
  private int queue;

  @Option(names = "--queue-order", defaultValue = "FIFO", paramLabel = "ORDER",
      description = "Order of the server's queued calls: FIFO or ADAPTIVE_LIFO (newest first "
          + "once more than the workers wait) (default: ${DEFAULT-VALUE}).")
  private KeelServer.QueueOrder queueOrder;

  @Option(names = "--service-time", defaultValue = "1ms", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Time each call holds a worker (default: "
      + "${DEFAULT-VALUE}).")
  private Duration serviceTime;

  @Option(names = "--work", defaultValue = "cpu", paramLabel = "KIND",
      description = "cpu: each call does a fixed amount of hashing, calibrated to the service "
          + "time on an idle core; park: it waits its service time, no CPU "
          + "(default: ${DEFAULT-VALUE}).")
  private String work;

  @Option(names = "--server", defaultValue = "child", paramLabel = "WHERE",
      description = "child: the server runs in its own JVM ('server --impl overload'); "
          + "in-process: in this JVM (default: ${DEFAULT-VALUE}).")
  private String where;

  @Option(names = "--load-factor", defaultValue = "3", split = ",", paramLabel = "X",
      description = "Offered load(s) as multiples of the measured capacity, each run for "
          + "every client (default: ${DEFAULT-VALUE}).")
  private List<Double> loadFactors;

  @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Closed-loop warm-up before the capacity windows, not "
      + "counted (default: ${DEFAULT-VALUE}).")
  private Duration warmup;

  @Option(names = "--client-warmup", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Uncounted open-loop run of each client kind after "
      + "the capacity probe, at the first load factor (default: ${DEFAULT-VALUE}).")
  private Duration clientWarmup;

  @Option(names = "--capacity-windows", defaultValue = "3", paramLabel = "N",
      description = "Capacity = median of N windows after the warm-up (default: "
          + "${DEFAULT-VALUE}).")
  private int capacityWindows;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Sending window of each run (default: ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--capacity-duration", defaultValue = "2s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Each window of the capacity probe (default: ${DEFAULT-VALUE}).")
  private Duration capacityDuration;

  @Option(names = "--deadline", defaultValue = "2s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Deadline of each call (naive: of each attempt) "
      + "(default: ${DEFAULT-VALUE}).")
  private Duration deadline;

  @Option(names = "--attempt-timeout", converter = DurationConverter.class, paramLabel = "TIME",
      description = "The seed client's per-attempt timeout, on the client side only, never "
          + "sent (default: --deadline). The seed's client used 250ms.")
  private Duration attemptTimeout;

  @Option(names = "--clients", defaultValue = "keel,naive", split = ",", paramLabel = "KIND",
      description = "Client kinds to run, in order: keel (Keel's defaults: budget, backoff, "
          + "deadline sent), naive (3 immediate retries, no budget, deadline sent), seed (the "
          + "seed's client: client-side attempt timeout, 3 retries with 50ms x2 backoff, no "
          + "budget, no deadline sent) (default: ${DEFAULT-VALUE}).")
  private List<String> clients;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!work.equals("park") && !work.equals("cpu")) {
      throw new IllegalArgumentException("--work: " + work + " (expected: park or cpu)");
    }
    if (!where.equals("child") && !where.equals("in-process")) {
      throw new IllegalArgumentException("--server: " + where
          + " (expected: child or in-process)");
    }
    for (String kind : clients) {
      if (!List.of("keel", "naive", "seed").contains(kind)) {
        throw new IllegalArgumentException("--clients: " + kind
            + " (expected: keel, naive or seed)");
      }
    }
    if (where.equals("child")) {
      List<String> args = List.of("server", "--impl", "overload", "--port", "0",
          "--workers", Integer.toString(workers), "--queue", Integer.toString(queue),
          "--service-time", DurationConverter.format(serviceTime), "--work", work,
          "--queue-order", queueOrder.name());
      try (ServerProcess server = ServerProcess.start(args, JavaProcesses.DEFAULT_JVM_FLAGS,
          Duration.ofSeconds(30), System.err)) {
        out.printf(Locale.ROOT, "server: child JVM pid %d, port %d%n", server.pid(),
            server.port());
        run(out, new OverloadDriver("127.0.0.1", server.port(),
            OverloadDriver.remoteExecuted("127.0.0.1", server.port()), deadline,
            attemptTimeout));
      }
    } else {
      try (OverloadServer server =
          new OverloadServer(workers, queue, serviceTime, work.equals("cpu"), queueOrder)) {
        out.println("server: in this JVM, port " + server.port());
        run(out, new OverloadDriver("127.0.0.1", server.port(), server::executed, deadline,
            attemptTimeout));
      }
    }
    return 0;
  }

  private void run(PrintWriter out, OverloadDriver driver) throws InterruptedException {
    // Enough callers to keep every worker busy with a few queued, but not so many that a deep
    // queue makes the probe's own calls outlive their deadline.
    int lanes = Math.min(workers + queue, workers + CAPACITY_QUEUED_LANES);
    double capacity = driver.measureCapacity(lanes, warmup, capacityDuration, capacityWindows);
    if (!(capacity > 0)) {
      throw new IllegalStateException("the capacity probe got no call through in "
          + DurationConverter.format(capacityDuration) + " (" + lanes + " callers, deadline "
          + DurationConverter.format(deadline) + "): is the deadline shorter than "
          + "the service time, or the machine starved?");
    }
    double nominal = workers * 1e9 / serviceTime.toNanos();
    StringBuilder windows = new StringBuilder();
    for (double w : driver.lastCapacityWindows()) {
      windows.append(windows.length() == 0 ? "" : " ").append(Math.round(w));
    }
    out.printf(Locale.ROOT,
        "capacity: %.0f calls/s measured, median of [%s] (nominal %.0f: %d workers x %s, %s, "
            + "queue %d %s; deadline %s, attempt timeout %s)%n",
        capacity, windows, nominal, workers, DurationConverter.format(serviceTime), work, queue,
        queueOrder,
        DurationConverter.format(deadline),
        attemptTimeout == null ? "none" : DurationConverter.format(attemptTimeout));
    out.flush();
    for (String kind : new java.util.LinkedHashSet<>(clients)) {
      driver.run(kind, capacity * loadFactors.get(0), clientWarmup); // not counted
    }
    List<OverloadResult> results = new ArrayList<>();
    List<Double> factors = new ArrayList<>();
    for (double factor : loadFactors) {
      for (String kind : clients) {
        OverloadResult r = driver.run(kind, capacity * factor, duration);
        results.add(r);
        factors.add(factor);
        out.println(r.resultLine(capacity));
        out.flush();
      }
    }
    out.println();
    out.println("| load | client | offered/s | goodput/s | goodput / capacity | attempts/call "
        + "| server executed/s | p50 (ms) | p99 (ms) |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i < results.size(); i++) {
      OverloadResult r = results.get(i);
      out.printf(Locale.ROOT, "| %.0fx | %s | %.0f | %.0f | %.2f | %.2f | %.0f | %.1f | %.1f |%n",
          factors.get(i), r.client(), r.offeredPerSec(), r.goodput(), r.goodput() / capacity,
          r.attemptsPerCall(), r.executedPerSec(), r.p50Micros() / 1000.0,
          r.p99Micros() / 1000.0);
    }
    out.flush();
  }
}

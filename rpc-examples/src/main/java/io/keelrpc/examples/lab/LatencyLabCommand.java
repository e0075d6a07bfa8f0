package io.keelrpc.examples.lab;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.HelpOption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code latency-lab}: how per-attempt timeouts and retry policies fare against a slow server.
 * Runs every server delay x per-attempt timeout x retry policy against an in-process server with
 * an injected, capacity-limited service time and prints, per cell, the success rate, the p50, p95
 * and p99 latency of successful calls, attempts per call and server executions per call; then
 * writes them as CSV and Markdown and draws PNG charts. A measurement, not a test.
 */
@Command(
    name = "latency-lab",
    description = {
        "Timeouts and retries against a slow server: starts a Keel server on loopback whose "
            + "method takes an injected service time (base delay + exponential jitter + a rare "
            + "slow tail) with a fixed capacity and a bounded queue, and for every delay x "
            + "per-attempt timeout x retry policy makes --calls calls (--concurrency at a time) "
            + "through a fresh client.",
        "Prints per cell the success rate, p50/p95/p99 latency of successful calls, attempts per "
            + "call and server executions per call, and writes results.csv, results.md and PNG "
            + "charts into --out. Policies: none (1 attempt), seed (3 retries, 50 ms x2 backoff, "
            + "+10%% jitter), keel-default (KeelClient's defaults with its retry budget), "
            + "aggressive (9 immediate retries). Every call is bounded by --deadline-ms."})
public final class LatencyLabCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(LatencyLabCommand.class);
  private static final long MAX_MS = 60_000;

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--delays", split = ",", defaultValue = "0,20,50,120", paramLabel = "MS",
      description = "Server base delays in ms, one matrix row each (default: ${DEFAULT-VALUE}).")
  private List<Long> delays;

  @Option(names = "--timeouts", split = ",", defaultValue = "30,100,250,1000", paramLabel = "MS",
      description = "Per-attempt timeouts in ms (default: ${DEFAULT-VALUE}).")
  private List<Long> timeouts;

  @Option(names = "--policies", split = ",", defaultValue = "none,seed,keel-default,aggressive",
      paramLabel = "NAME", description = "Retry policies (default: ${DEFAULT-VALUE}).")
  private List<String> policies;

  @Option(names = "--calls", defaultValue = "200", paramLabel = "N",
      description = "Calls per cell (default: ${DEFAULT-VALUE}).")
  private int calls;

  @Option(names = "--concurrency", defaultValue = "16", paramLabel = "C",
      description = "Calls outstanding at a time, closed loop (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--deadline-ms", defaultValue = "1000", paramLabel = "MS",
      description = "Budget of each call, retries and waits included (default: "
          + "${DEFAULT-VALUE}).")
  private long deadlineMs;

  @Option(names = "--jitter", defaultValue = "0.1", paramLabel = "F",
      description = "Mean of the exponential extra service time, as a fraction of the base "
          + "delay (default: ${DEFAULT-VALUE}).")
  private double jitter;

  @Option(names = "--tail-probability", defaultValue = "0.01", paramLabel = "P",
      description = "Chance that an execution is slow (default: ${DEFAULT-VALUE}).")
  private double tailProbability;

  @Option(names = "--tail-multiplier", defaultValue = "3", paramLabel = "X",
      description = "How much slower a slow execution is (default: ${DEFAULT-VALUE}).")
  private double tailMultiplier;

  @Option(names = "--server-capacity", defaultValue = "32", paramLabel = "N",
      description = "Executions the server serves at once (default: ${DEFAULT-VALUE}).")
  private int serverCapacity;

  @Option(names = "--server-queue", defaultValue = "256", paramLabel = "N",
      description = "Executions that may wait for capacity; beyond, OVERLOADED (default: "
          + "${DEFAULT-VALUE}).")
  private int serverQueue;

  @Option(names = "--server-dedup", negatable = true, defaultValue = "false",
      description = "Let the server's idempotency cache join retries of a call still running, "
          + "instead of running every attempt (default: ${DEFAULT-VALUE}).")
  private boolean serverDedup;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "Seed of the service-time draws (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--focus-timeout", defaultValue = "30", paramLabel = "MS",
      description = "Per-attempt timeout of the p99, attempts and server-runs charts; the "
          + "nearest of --timeouts (default: ${DEFAULT-VALUE}).")
  private long focusTimeout;

  @Option(names = "--no-charts", defaultValue = "false",
      description = "Write only the tables, no PNG charts.")
  private boolean noCharts;

  @Option(names = "--out", defaultValue = "target/latency-lab", paramLabel = "DIR",
      description = "Where results.csv, results.md and the charts go (default: "
          + "${DEFAULT-VALUE}).")
  private Path out;

  private final List<CellResult> results = new ArrayList<>();

  /** The cells of the last {@link #call()}, in order. */
  public List<CellResult> results() {
    return List.copyOf(results);
  }

  @Override
  public Integer call() throws Exception {
    LabConfig config = config();
    PrintWriter w = spec.commandLine().getOut();
    List<String> header = header(config);
    header.forEach(w::println);
    w.flush();
    results.clear();
    long start = System.nanoTime();
    log.info("latency-lab: {} cells, results into {}", config.cells(), out.toAbsolutePath());
    results.addAll(new LatencyLab(config, Ticker.system()).run(r -> {
      w.println(r.line());
      w.flush();
    }));
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    header.add("Run took " + seconds + " s (warm-up included).");
    List<Path> files = new ArrayList<>(LabReport.write(out, results, header));
    if (!noCharts) {
      long delay = config.delaysMs().stream().max(Long::compare).orElseThrow();
      files.addAll(LabCharts.write(out, results, delay, nearest(config.timeoutsMs())));
    }
    w.println();
    w.println(LabReport.markdown(results, List.of()));
    files.forEach(f -> w.println("wrote " + f));
    w.flush();
    return 0;
  }

  private List<String> header(LabConfig c) {
    List<String> h = new ArrayList<>();
    h.add("# latency-lab " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ": "
        + c.cells() + " cells x " + c.calls() + " calls, concurrency " + c.concurrency()
        + ", deadline " + c.deadline().toMillis() + " ms per call");
    h.add("# server: service time " + c.serviceTime().shape() + ", capacity " + c.serverCapacity()
        + ", queue " + c.serverQueue() + ", dedup of running retries "
        + (c.serverDedup() ? "on" : "off") + ", seed " + c.seed());
    for (ClientPolicy p : c.policies()) {
      h.add("# policy " + p.label() + ": " + p.summary());
    }
    h.add("# machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
        + Runtime.version() + ", client and server in one JVM over loopback");
    return h;
  }

  private long nearest(List<Long> values) {
    return values.stream()
        .min(Comparator.comparingLong((Long v) -> Math.abs(v - focusTimeout))
            .thenComparingLong(v -> v))
        .orElseThrow();
  }

  /** The validated configuration, or a usage error naming the bad option. */
  LabConfig config() {
    checkList("--delays", delays, 0, MAX_MS);
    checkList("--timeouts", timeouts, 1, MAX_MS);
    List<ClientPolicy> chosen = new ArrayList<>();
    for (String p : policies) {
      try {
        chosen.add(ClientPolicy.parse(p));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--policies: " + e.getMessage());
      }
    }
    check(new HashSet<>(chosen).size() == chosen.size(), "--policies: " + policies
        + " (expected: no policy twice)");
    check(calls >= 1 && calls <= 100_000, "--calls: " + calls + " (expected: 1..100000)");
    check(concurrency >= 1 && concurrency <= 1000,
        "--concurrency: " + concurrency + " (expected: 1..1000)");
    check(deadlineMs >= 1 && deadlineMs <= MAX_MS,
        "--deadline-ms: " + deadlineMs + " (expected: 1.." + MAX_MS + ")");
    check(serverCapacity >= 1 && serverCapacity <= 10_000,
        "--server-capacity: " + serverCapacity + " (expected: 1..10000)");
    check(serverQueue >= 0 && serverQueue <= 100_000,
        "--server-queue: " + serverQueue + " (expected: 0..100000)");
    DelayModel model;
    try {
      model = new DelayModel(Duration.ZERO, jitter, tailProbability, tailMultiplier);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--jitter/--tail-*: " + e.getMessage());
    }
    return new LabConfig(delays, timeouts, chosen, calls, concurrency,
        Duration.ofMillis(deadlineMs), model, serverCapacity, serverQueue, serverDedup, seed);
  }

  private void checkList(String name, List<Long> values, long min, long max) {
    check(!values.isEmpty(), name + ": empty (expected: at least one value)");
    for (long v : values) {
      check(v >= min && v <= max, name + ": " + v + " (expected: " + min + ".." + max + ")");
    }
    check(new HashSet<>(values).size() == values.size(),
        name + ": " + values + " (expected: no value twice)");
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}

package io.keelrpc.examples.chaos;

import io.keelrpc.core.fault.FaultStats;
import io.keelrpc.examples.HelpOption;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chaos-soak}: runs {@link ChaosSoak} and prints its figures; exits 1 on any violation.
 *
 * <pre>
 * java -jar rpc-examples/target/keel-examples.jar chaos-soak --ops 100000 --clients 16
 * </pre>
 */
@Command(
    name = "chaos-soak",
    description = {
        "Concurrent OCC clients increment counters in kv-server (a child JVM, file backend) under "
            + "injected faults on both sides and SIGKILL restarts; every operation is recorded "
            + "and the history checked: no acknowledged write lost, none applied twice, counters "
            + "equal acknowledged increments, each key linearizable.",
        "Exits 0 when no violation is found, 1 otherwise."})
public final class ChaosSoakCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--clients", defaultValue = "16", paramLabel = "N",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  private int clients;

  @Option(names = "--ops", defaultValue = "100000", paramLabel = "N",
      description = "Operations, increments and reads (default: ${DEFAULT-VALUE}).")
  private long ops;

  @Option(names = "--keys", defaultValue = "8", paramLabel = "N",
      description = "Shared counters (default: ${DEFAULT-VALUE}).")
  private int keys;

  @Option(names = "--restart-every-ms", defaultValue = "10000", paramLabel = "MS",
      description = "SIGKILL and restart the server this often; 0 for never "
          + "(default: ${DEFAULT-VALUE}; a restart takes 1-7 s on a loaded 2-core machine).")
  private long restartEveryMs;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
      description = "Seeds the faults and the workload (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--fsync", defaultValue = "never", paramLabel = "always|interval|never",
      description = "The file backend's fsync policy; each survives SIGKILL "
          + "(default: ${DEFAULT-VALUE}).")
  private String fsync;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Data directory and child logs (default: a new temporary directory).")
  private Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir != null ? Files.createDirectories(workDir)
        : Files.createTempDirectory("keel-chaos-");
    ChaosSoak.Config config = ChaosSoak.Config.defaults(dir).withClients(clients)
        .withOperations(ops).withKeys(keys).withRestartEvery(Duration.ofMillis(restartEveryMs))
        .withSeed(seed).withFsync(fsync);
    out.printf("chaos-soak: %d clients, %d operations on %d keys, restart every %d ms, seed %d, "
        + "work dir %s%n", clients, ops, keys, restartEveryMs, seed, dir);
    out.flush();
    ChaosSoak.Report r = new ChaosSoak(config).run(line -> {
      out.println("  " + line);
      out.flush();
    });
    print(out, r);
    return r.verdict().ok() ? 0 : 1;
  }

  static void print(PrintWriter out, ChaosSoak.Report r) {
    double secs = r.elapsed().toMillis() / 1000.0;
    out.printf(Locale.ROOT, "operations        %d in %.1f s (%.0f/s): %d increments, %d reads%n",
        r.operations(), secs, r.operations() / Math.max(secs, 0.001), r.increments(), r.reads());
    out.printf("increments        %d acknowledged, %d unknown outcome (%d settled applied)%n",
        r.acknowledged(), r.unknown(), r.settledApplied());
    out.printf("occ               %d conflicts, %d network retries, %d recovered by writer id%n",
        r.conflicts(), r.networkRetries(), r.recovered());
    out.println("client faults     " + line(r.clientFaults()));
    out.println("server faults     " + r.serverFaults().map(ChaosSoakCommand::line)
        .orElse("(not reported)") + "  [last faulty instance only]");
    out.printf("restarts          %d SIGKILL%n", r.restarts());
    out.printf("history           %d operations, %d keys, %d search steps, checked in %d ms%n",
        r.historyOps(), r.verdict().keys(), r.verdict().searchSteps(), r.checkTime().toMillis());
    out.printf("violations        %d%n", r.verdict().violations().size());
    r.verdict().violations().stream().limit(20).forEach(v -> out.println("  " + v));
    out.flush();
  }

  private static String line(FaultStats f) {
    return "requestsDropped=" + f.requestsDropped() + " responsesDropped=" + f.responsesDropped()
        + " delayed=" + f.delayed() + " duplicated=" + f.duplicated() + " disconnects="
        + f.disconnects();
  }
}

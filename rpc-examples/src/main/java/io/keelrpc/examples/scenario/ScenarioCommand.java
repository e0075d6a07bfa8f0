package io.keelrpc.examples.scenario;

import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.kv.KvBackend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kv-scenario}: the scenario runner, the README's main demo. */
@Command(name = "kv-scenario",
    description = {
        "Starts a KV server and concurrent OCC clients that increment counters under injected "
            + "faults (request loss, lost answers, delays), stops after the duration or on Ctrl+C, "
            + "prints the store, per-client stats and injected faults, and checks that every "
            + "counter equals its acknowledged increments. Exits 1 if it does not.",
        "Without CONFIG it runs the built-in scenario (print it with --print-config).",
        "  kv-scenario [CONFIG.json] [--duration S] [--backend memory|file|sqlite] [--seed N]"})
public final class ScenarioCommand implements Callable<Integer> {
  @Mixin
  HelpOption help;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
      description = "Scenario JSON file (the seed's format; see docs/occ.md).")
  Path configFile;

  @Option(names = "--duration", paramLabel = "S",
      description = "Override test_duration_seconds.")
  Double duration;

  @Option(names = "--backend", paramLabel = "NAME",
      description = "Override the backend: memory, file or sqlite.")
  String backend;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory of a file or sqlite backend (default: a new temporary one).")
  Path dataDir;

  @Option(names = "--seed", paramLabel = "N", description = "Override the fault seed.")
  Long seed;

  @Option(names = "--print-config", description = "Print the scenario that would run, and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (printConfig) {
      out.print(configFile == null ? ScenarioConfig.builtInJson()
          : java.nio.file.Files.readString(configFile));
      out.flush();
      return 0;
    }
    ScenarioConfig config;
    try {
      config = configFile == null ? ScenarioConfig.builtIn() : ScenarioConfig.read(configFile);
      if (duration != null) {
        config = config.withDuration(duration);
      }
      if (backend != null || dataDir != null) {
        config = config.withBackend(backend == null ? config.backend() : KvBackend.parse(backend),
            dataDir == null ? config.dataDir() : dataDir);
      }
      if (seed != null) {
        config = config.withSeed(seed);
      }
    } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
      spec.commandLine().getErr().println("kv-scenario: " + e.getMessage());
      return 2;
    }
    ScenarioRunner runner = new ScenarioRunner(config);
    CountDownLatch printed = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      runner.stop();
      try {
        printed.await(10, TimeUnit.SECONDS); // let the run settle and print before the JVM ends
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kv-scenario-ctrl-c");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    out.printf("running %d client(s) for %.1f s (Ctrl+C stops early)...%n",
        config.clients().size(), config.durationSeconds());
    out.flush();
    ScenarioReport report = runner.run();
    out.print(report.render());
    out.flush();
    printed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl+C: the hook is running and has just been released
    }
    return report.invariantHolds() ? 0 : 1;
  }
}

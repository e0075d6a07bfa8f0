package io.keelrpc.bench;

import io.keelrpc.bench.echo.EchoClient;
import io.keelrpc.bench.echo.Impl;
import io.keelrpc.bench.echo.Payload;
import io.keelrpc.bench.load.DurationConverter;
import io.keelrpc.bench.load.JavaProcesses;
import io.keelrpc.bench.load.LoadDriver;
import io.keelrpc.bench.load.RunResult;
import io.keelrpc.bench.load.ServerProcess;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code run}: one session of one implementation. Starts its echo server in a separate JVM on
 * loopback, connects one client from this JVM, warms both JVMs up, then measures one run per
 * concurrency (closed loop) or rate (open loop), printing one {@code RESULT} line per run.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "One session: starts IMPL's echo server in its own JVM on 127.0.0.1, connects one client "
            + "(one connection / one gRPC channel), warms up the JIT of both JVMs (closed loop, "
            + "not counted), then for each -c (closed) or --rate (open) value: a short warm-up "
            + "(not counted) and a measured window, printing one machine-readable RESULT line.",
        "closed: C calls kept outstanding. open: calls sent at a fixed rate, latency measured "
            + "from each call's intended send time (no coordinated omission)."})
public final class RunCommand implements Callable<Integer> {
  static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DRAIN_LIMIT = Duration.ofSeconds(15);
  /** Payloads up to 1 MiB minus room for the JSON envelope (Keel's default frame limit). */
  static final int MAX_PAYLOAD = (1 << 20) - 1024;

  @Spec
  private CommandSpec spec;

  @Option(names = "--impl", required = true, paramLabel = "IMPL",
      description = "keel-cache, keel-nocache, grpc, grpc-epoll, bare or raw.")
  private String impl;

  @Option(names = "--mode", defaultValue = "closed", paramLabel = "closed|open",
      description = "Closed or open loop (default: ${DEFAULT-VALUE}).")
  private LoadDriver.Mode mode;

  @Option(names = {"--concurrency", "-c"}, split = ",", defaultValue = "64", paramLabel = "C",
      description = "Closed loop: calls kept outstanding, one run per value, in order "
          + "(default: ${DEFAULT-VALUE}).")
  private List<Integer> concurrency;

  @Option(names = "--rate", split = ",", paramLabel = "R",
      description = "Open loop: calls per second, one run per value, in order (required with "
          + "--mode open).")
  private List<Double> rates;

  @Option(names = "--max-outstanding", defaultValue = "10000", paramLabel = "N",
      description = "Open loop: outstanding calls beyond which sends are skipped and counted as "
          + "errors (default: ${DEFAULT-VALUE}).")
  private int maxOutstanding;

  @Option(names = "--payload", defaultValue = "64", paramLabel = "BYTES",
      description = "Echoed payload size in bytes, ASCII (default: ${DEFAULT-VALUE}).")
  private int payloadBytes;

  @Option(names = "--jit-warmup", defaultValue = "8s", converter = DurationConverter.class,
      paramLabel = "TIME",
      description = "Session warm-up before the first run: closed loop at --jit-warmup-c for at "
          + "least TIME and until --jit-warmup-calls calls completed, at most --jit-warmup-max; "
          + "0 for none (default: ${DEFAULT-VALUE}).")
  private Duration jitWarmup;

  @Option(names = "--jit-warmup-calls", defaultValue = "200000", paramLabel = "N",
      description = "(default: ${DEFAULT-VALUE})")
  private long jitWarmupCalls;

  @Option(names = "--jit-warmup-max", defaultValue = "15s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "(default: ${DEFAULT-VALUE})")
  private Duration jitWarmupMax;

  @Option(names = "--jit-warmup-c", defaultValue = "64", paramLabel = "C",
      description = "(default: ${DEFAULT-VALUE})")
  private int jitWarmupC;

  @Option(names = "--open-jit-warmup", defaultValue = "3s", converter = DurationConverter.class,
      paramLabel = "TIME",
      description = "Open loop: after the JIT warm-up, an open-loop warm-up at the first --rate for "
          + "TIME (not counted; 0 for none), so that sending from a foreign thread is compiled "
          + "too before anything is measured (default: ${DEFAULT-VALUE}).")
  private Duration openJitWarmup;

  @Option(names = "--warmup", defaultValue = "1s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Warm-up of each run at its own C or rate, not counted "
      + "(default: ${DEFAULT-VALUE}).")
  private Duration warmup;

  @Option(names = "--duration", defaultValue = "5s", converter = DurationConverter.class,
      paramLabel = "TIME", description = "Measured window of each run (default: "
      + "${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--progress",
      description = "Print completed calls per second on stderr while running.")
  private boolean progress;

  @Option(names = "--flush-each",
      description = "bare and raw servers: flush every answer instead of once per "
          + "socket read.")
  private boolean flushEach;

  @Option(names = "--server-jvm-flags", paramLabel = "FLAGS",
      description = "Flags of the server JVM, space-separated (default: the bench's fixed set, "
          + "see 'matrix --help').")
  private String serverJvmFlags;

  @Override
  public Integer call() throws Exception {
    Impl implementation;
    try {
      implementation = Impl.parse(impl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<LoadDriver.Settings> runs = settings();
    List<String> flags = serverJvmFlags == null ? JavaProcesses.DEFAULT_JVM_FLAGS
        : JavaProcesses.parseFlags(serverJvmFlags);
    PrintWriter out = spec.commandLine().getOut();
    Payload payload = Payload.ofSize(payloadBytes);
    try (ServerProcess server = ServerProcess.start(implementation, flushEach, flags,
        SERVER_START_TIMEOUT, System.err);
        EchoClient client = implementation.connect("127.0.0.1", server.port())) {
      out.printf("# run: impl=%s server pid %d on 127.0.0.1:%d, server JVM flags %s; driver java "
              + "%s, %d cores%n", implementation, server.pid(), server.port(),
          String.join(" ", flags), Runtime.version(), Runtime.getRuntime().availableProcessors());
      out.flush();
      awaitReady(client, payload);
      LoadDriver driver = new LoadDriver(implementation.cliName(), client,
          progress ? System.err : null);
      Duration jitTime = Duration.ZERO;
      long jitCalls = 0;
      if (!jitWarmup.isZero()) {
        RunResult w = driver.warmUp(payload, jitWarmupC, jitWarmup, jitWarmupCalls, jitWarmupMax);
        jitTime = w.warmup();
        jitCalls = w.warmupCalls();
        out.printf(Locale.ROOT, "# jit warm-up: %d ms, %d calls at C=%d, %d errors%n",
            jitTime.toMillis(), jitCalls, jitWarmupC, w.errors());
        if (driver.firstError() != null) {
          out.println("# first error: " + driver.firstError());
        }
        out.flush();
      }
      if (mode == LoadDriver.Mode.open && !openJitWarmup.isZero()) {
        // Sending from the driver's own thread takes other paths than the closed loop's callbacks
        // (hand-offs to the I/O thread): warm those too, at the first rate; nothing is recorded.
        RunResult w = driver.run(payload, new LoadDriver.Settings(mode, 0, runs.get(0).rate(),
            maxOutstanding, openJitWarmup, 0, openJitWarmup, Duration.ofMillis(1), DRAIN_LIMIT));
        out.printf(Locale.ROOT, "# open-loop warm-up: %d ms at %.0f calls/s, %d errors%n",
            w.warmup().toMillis(), runs.get(0).rate(), w.errors());
        out.flush();
      }
      for (LoadDriver.Settings s : runs) {
        RunResult r = driver.run(payload, s).withJitWarmup(jitTime, jitCalls);
        out.println(r.line());
        if (driver.firstError() != null) {
          out.println("# first error: " + driver.firstError());
        }
        out.flush();
      }
    }
    return 0;
  }

  private List<LoadDriver.Settings> settings() {
    check(payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD,
        "--payload: " + payloadBytes + " (expected: 0.." + MAX_PAYLOAD + ")");
    check(!duration.isZero(), "--duration: must be > 0");
    check(maxOutstanding >= 1, "--max-outstanding: " + maxOutstanding + " (expected: >= 1)");
    check(jitWarmupCalls >= 0, "--jit-warmup-calls: " + jitWarmupCalls + " (expected: >= 0)");
    check(jitWarmupMax.compareTo(jitWarmup) >= 0, "--jit-warmup-max: must be >= --jit-warmup");
    check(jitWarmupC >= 1 && jitWarmupC <= 100_000, "--jit-warmup-c: " + jitWarmupC);
    List<LoadDriver.Settings> runs = new ArrayList<>();
    if (mode == LoadDriver.Mode.closed) {
      for (int c : concurrency) {
        check(c >= 1 && c <= 100_000, "--concurrency: " + c + " (expected: 1..100000)");
        runs.add(new LoadDriver.Settings(mode, c, 0, maxOutstanding, warmup, 0, warmup,
            duration, DRAIN_LIMIT));
      }
    } else {
      check(rates != null && !rates.isEmpty(), "--rate: required with --mode open");
      for (double r : rates) {
        check(r > 0 && r <= 10_000_000, "--rate: " + r + " (expected: 0 < R <= 1e7)");
        runs.add(new LoadDriver.Settings(mode, 0, r, maxOutstanding, warmup, 0, warmup,
            duration, DRAIN_LIMIT));
      }
    }
    return runs;
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  /** One call must succeed (the connection is up, the echo is right) before anything is timed. */
  private static void awaitReady(EchoClient client, Payload payload)
      throws InterruptedException, ExecutionException {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    client.call(payload, failure -> {
      if (failure == null) {
        ready.complete(null);
      } else {
        ready.completeExceptionally(failure);
      }
    });
    try {
      ready.get(SERVER_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the first call was not answered within "
          + SERVER_START_TIMEOUT.toSeconds() + " s");
    }
  }
}

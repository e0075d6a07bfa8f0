package io.keelrpc.bench;

import io.keelrpc.bench.echo.Impl;
import io.keelrpc.bench.load.DurationConverter;
import io.keelrpc.bench.load.JavaProcesses;
import io.keelrpc.bench.load.RunResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code matrix}: every implementation x concurrency x payload in closed loop, then open loop at
 * fractions of Keel's measured capacity, each run a fresh driver JVM and a fresh server JVM,
 * implementations interleaved run by run and round by round; prints medians and Keel's ratios.
 */
@Command(
    name = "matrix",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs the comparison matrix and prints Markdown tables of medians with the ratios "
            + "Keel/gRPC, Keel/bare and Keel/raw (Keel = keel-cache).",
        "A session is one 'run': a fresh driver JVM and a fresh server JVM (same --jvm-flags), a "
            + "JIT warm-up, then one run (warm-up + window) per C, or per open-loop rate.",
        "Closed loop: for each round and payload, one session per implementation, the order "
            + "rotated by one each round (round 1: A B C D E, round 2: B C D E A, ...).",
        "Open loop (after all closed sessions): for each payload, rates at each --open-loads "
            + "fraction of keel-cache's median closed-loop calls/s at C=--capacity-c; the "
            + "--open-impls interleaved the same way.",
        "All RESULT lines go to --out, the tables beside it (.md)."})
public final class MatrixCommand implements Callable<Integer> {
  /** Start-up of both JVMs, connection, first call and shutdown of a session (measured). */
  private static final Duration OVERHEAD_ESTIMATE = Duration.ofMillis(2_500);

  @Spec
  private CommandSpec spec;

  @Option(names = "--quick",
      description = "Smoke run: 1 round, C 1,64, JIT warm-up 3s, warm-up 500ms and 2s windows "
          + "(explicit options win). About 3 minutes.")
  private boolean quick;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Rounds, each running every cell once (default 3; --quick 1).")
  private Integer rounds;

  @Option(names = "--concurrency", split = ",", paramLabel = "C",
      description = "Closed-loop concurrencies (default 1,16,64,256; --quick 1,64).")
  private List<Integer> concurrency;

  @Option(names = "--payloads", split = ",", defaultValue = "64,4096", paramLabel = "BYTES",
      description = "Payload sizes (default: ${DEFAULT-VALUE}).")
  private List<Integer> payloads;

  @Option(names = "--impls", defaultValue = "keel-cache,keel-nocache,grpc,bare,raw",
      paramLabel = "LIST", description = "Closed-loop implementations (default: ${DEFAULT-VALUE}).")
  private String impls;

  @Option(names = "--open-impls", defaultValue = "keel-cache,grpc,bare", paramLabel = "LIST",
      description = "Open-loop implementations (default: ${DEFAULT-VALUE}).")
  private String openImpls;

  @Option(names = "--open-loads", split = ",", defaultValue = "0.5,0.9", paramLabel = "F",
      converter = OptionalFraction.class,
      description = "Open-loop rates as fractions of keel-cache's capacity; empty "
          + "(--open-loads=) for none (default: ${DEFAULT-VALUE}).")
  private List<Double> openLoadsGiven;
  private List<Double> openLoads;

  @Option(names = "--capacity-c", defaultValue = "64", paramLabel = "C",
      description = "The closed-loop C whose keel-cache median calls/s is the capacity "
          + "(default: ${DEFAULT-VALUE}).")
  private int capacityC;

  @Option(names = "--jit-warmup", converter = DurationConverter.class, paramLabel = "TIME",
      description = "Each session's JIT warm-up: closed loop at C=64 for at least TIME and until "
          + "--jit-warmup-calls calls, at most --jit-warmup-max (default 8s; --quick 3s).")
  private Duration jitWarmup;

  @Option(names = "--jit-warmup-calls", paramLabel = "N",
      description = "(default 150000; --quick 50000)")
  private Long jitWarmupCalls;

  @Option(names = "--jit-warmup-max", converter = DurationConverter.class, paramLabel = "TIME",
      description = "(default 15s; --quick 5s)")
  private Duration jitWarmupMax;

  @Option(names = "--open-jit-warmup", converter = DurationConverter.class, paramLabel = "TIME",
      description = "Open-loop sessions: after the JIT warm-up, an open-loop warm-up at the first "
          + "rate (default 3s; --quick 1s).")
  private Duration openJitWarmup;

  @Option(names = "--warmup", converter = DurationConverter.class, paramLabel = "TIME",
      description = "Warm-up of each run at its own C or rate, not counted (default 1s; "
          + "--quick 500ms).")
  private Duration warmup;

  @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "TIME",
      description = "Measured window of each run (default 5s; --quick 2s).")
  private Duration duration;

  @Option(names = "--max-outstanding", defaultValue = "10000", paramLabel = "N",
      description = "Open-loop cap on outstanding calls (default: ${DEFAULT-VALUE}).")
  private int maxOutstanding;

  @Option(names = "--jvm-flags", paramLabel = "FLAGS",
      description = "Flags of every driver and server JVM, space-separated (default: "
          + "-Xms512m -Xmx512m -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled "
          + "-Dio.grpc.netty.shaded.io.netty.leakDetection.level=disabled "
          + "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn).")
  private String jvmFlags;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where the RESULT lines go (default: bench-matrix-<time>.txt beside the "
          + "jar); the Markdown report goes to the same name with .md.")
  private Path out;

  @Option(names = "--dry-run", description = "Print the plan and its estimated time only.")
  private boolean dryRun;

  /** A cell of the matrix: closed (c > 0) or open (load > 0). */
  private record Cell(String mode, int payload, int c, double load) {}

  /** One 'run' invocation: one implementation, one payload, several C or rates. */
  private record Session(String mode, int payload, Impl impl, int round, List<Integer> cs,
      List<Double> loads) {
    int runs() {
      return "closed".equals(mode) ? cs.size() : loads.size();
    }
  }

  private final Map<Cell, Map<Impl, List<RunResult>>> results = new LinkedHashMap<>();
  private final Map<Cell, Double> openRates = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private PrintWriter console;
  private Writer resultFile;
  private List<String> flags;
  private volatile Process current;

  @Override
  public Integer call() throws Exception {
    resolveDefaults();
    openLoads = openLoadsGiven.stream().filter(java.util.Objects::nonNull).toList();
    List<Impl> closedImpls = parseImpls("--impls", impls);
    List<Impl> openImplList = parseImpls("--open-impls", openImpls);
    validate(closedImpls);
    console = spec.commandLine().getOut();
    flags = jvmFlags == null ? JavaProcesses.DEFAULT_JVM_FLAGS
        : JavaProcesses.parseFlags(jvmFlags);

    List<Session> closed = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (int p : payloads) {
        for (Impl i : rotate(closedImpls, r)) {
          closed.add(new Session("closed", p, i, r, concurrency, List.of()));
        }
      }
    }
    int openSessions = openLoads.isEmpty() ? 0 : rounds * payloads.size() * openImplList.size();
    int closedRuns = closed.size() * concurrency.size();
    int openRuns = openSessions * openLoads.size();
    Duration perRun = warmup.plus(duration).plus(Duration.ofMillis(100));
    Duration estimate = OVERHEAD_ESTIMATE.plus(jitWarmup).multipliedBy(closed.size() + openSessions)
        .plus(openJitWarmup.multipliedBy(openSessions))
        .plus(perRun.multipliedBy(closedRuns + openRuns));
    Duration worst = estimate.plus(jitWarmupMax.minus(jitWarmup)
        .multipliedBy(closed.size() + openSessions));
    Path outFile = out != null ? out : defaultOutDir().resolve("bench-matrix-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
    Path mdFile = outFile.resolveSibling(stripTxt(outFile.getFileName().toString()) + ".md");
    String header = String.format(Locale.ROOT,
        "# keel-bench matrix: %d sessions, %d runs (%d closed, %d open), %d round(s), payloads "
            + "%s, C %s; about %d min (at most %d if every JIT warm-up runs to its cap)%n"
            + "# per session: JIT warm-up >= %s and >= %d calls at C=64 (cap %s), open-loop "
            + "sessions then %s at their first rate; per run: warm-up %s + %s measured%n"
            + "# closed: %s; open: %s at %s of keel-cache's C=%d capacity%n"
            + "# JVM flags (driver and server alike): %s%n"
            + "# java %s, %d cores; results: %s",
        closed.size() + openSessions, closedRuns + openRuns, closedRuns, openRuns, rounds,
        payloads, concurrency, Math.round(Math.ceil(estimate.toSeconds() / 60.0)),
        Math.round(Math.ceil(worst.toSeconds() / 60.0)), DurationConverter.format(jitWarmup),
        jitWarmupCalls, DurationConverter.format(jitWarmupMax),
        DurationConverter.format(openJitWarmup), DurationConverter.format(warmup),
        DurationConverter.format(duration), closedImpls, openImplList, openLoads, capacityC,
        String.join(" ", flags), Runtime.version(), Runtime.getRuntime().availableProcessors(),
        outFile);
    console.println(header);
    console.flush();
    if (dryRun) {
      return 0;
    }
    Files.createDirectories(outFile.toAbsolutePath().getParent());
    Thread hook = new Thread(() -> {
      Process p = current;
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }, "bench-matrix-reaper");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Writer w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      resultFile = w;
      w.write(header + System.lineSeparator());
      int n = 0;
      int total = closed.size() + openSessions;
      for (Session session : closed) {
        execute(session, ++n, total);
      }
      if (!openLoads.isEmpty()) {
        for (Session session : planOpen(openImplList)) {
          execute(session, ++n, total);
        }
      }
      String report = report(closedImpls, openImplList);
      console.println();
      console.println(report);
      console.flush();
      Files.writeString(mdFile, report + System.lineSeparator(), StandardCharsets.UTF_8);
      console.println("# RESULT lines: " + outFile);
      console.println("# report: " + mdFile);
      console.flush();
    } finally {
      JavaProcesses.removeHook(hook);
    }
    return failures.isEmpty() ? 0 : 1;
  }

  private void resolveDefaults() {
    if (rounds == null) {
      rounds = quick ? 1 : 3;
    }
    if (concurrency == null) {
      concurrency = quick ? List.of(1, 64) : List.of(1, 16, 64, 256);
    }
    if (jitWarmup == null) {
      jitWarmup = Duration.ofSeconds(quick ? 3 : 8);
    }
    if (jitWarmupCalls == null) {
      jitWarmupCalls = quick ? 50_000L : 150_000L;
    }
    if (jitWarmupMax == null) {
      jitWarmupMax = Duration.ofSeconds(quick ? 5 : 15);
    }
    if (jitWarmupMax.compareTo(jitWarmup) < 0) {
      jitWarmupMax = jitWarmup;
    }
    if (openJitWarmup == null) {
      openJitWarmup = Duration.ofSeconds(quick ? 1 : 3);
    }
    if (warmup == null) {
      warmup = Duration.ofMillis(quick ? 500 : 1000);
    }
    if (duration == null) {
      duration = Duration.ofSeconds(quick ? 2 : 5);
    }
  }

  private List<Impl> parseImpls(String option, String list) {
    try {
      List<Impl> l = Impl.parseList(list);
      if (l.isEmpty()) {
        throw new IllegalArgumentException("empty");
      }
      return l;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  private void validate(List<Impl> closedImpls) {
    check(rounds >= 1 && rounds <= 100, "--rounds: " + rounds + " (expected: 1..100)");
    for (int c : concurrency) {
      check(c >= 1 && c <= 100_000, "--concurrency: " + c + " (expected: 1..100000)");
    }
    for (int p : payloads) {
      check(p >= 0 && p <= RunCommand.MAX_PAYLOAD, "--payloads: " + p);
    }
    check(!duration.isZero() && !duration.isNegative(), "--duration: must be > 0");
    for (double f : openLoads) {
      check(f > 0 && f <= 10, "--open-loads: " + f + " (expected: 0 < F <= 10)");
    }
    if (!openLoads.isEmpty()) {
      check(closedImpls.contains(Impl.KEEL_CACHE) && concurrency.contains(capacityC),
          "open loop needs keel-cache in --impls and --capacity-c (" + capacityC
              + ") in --concurrency to measure the capacity");
    }
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private static <T> List<T> rotate(List<T> list, int by) {
    List<T> l = new ArrayList<>(list);
    Collections.rotate(l, -(by % l.size()));
    return l;
  }

  private List<Session> planOpen(List<Impl> openImplList) {
    List<Integer> withCapacity = new ArrayList<>();
    for (int p : payloads) {
      List<RunResult> cap = results.getOrDefault(new Cell("closed", p, capacityC, 0), Map.of())
          .getOrDefault(Impl.KEEL_CACHE, List.of());
      if (cap.isEmpty()) {
        String msg = "no keel-cache result at C=" + capacityC + " payload=" + p
            + ": open loop skipped for this payload";
        failures.add(msg);
        log("# " + msg);
        continue;
      }
      withCapacity.add(p);
      double capacity = median(cap, RunResult::callsPerSecond);
      for (double f : openLoads) {
        double rate = Math.max(1, Math.round(capacity * f));
        openRates.put(new Cell("open", p, 0, f), rate);
        log(String.format(Locale.ROOT, "# open loop payload=%d: keel-cache capacity at C=%d is "
            + "%.0f calls/s (median); %.0f%% -> rate %.0f calls/s", p, capacityC, capacity,
            f * 100, rate));
      }
    }
    List<Session> open = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (int p : withCapacity) {
        for (Impl i : rotate(openImplList, r)) {
          open.add(new Session("open", p, i, r, List.of(), openLoads));
        }
      }
    }
    return open;
  }

  private void execute(Session session, int n, int total) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--impl", session.impl().cliName(),
        "--mode", session.mode(), "--payload", Integer.toString(session.payload()),
        "--jit-warmup", jitWarmup.toMillis() + "ms",
        "--jit-warmup-calls", Long.toString(jitWarmupCalls),
        "--jit-warmup-max", jitWarmupMax.toMillis() + "ms",
        "--open-jit-warmup", openJitWarmup.toMillis() + "ms",
        "--warmup", warmup.toMillis() + "ms", "--duration", duration.toMillis() + "ms",
        "--max-outstanding", Integer.toString(maxOutstanding),
        "--server-jvm-flags=" + String.join(" ", flags)));
    String what;
    Map<Long, Cell> openCells = new LinkedHashMap<>();
    if ("open".equals(session.mode())) {
      List<String> rateArgs = new ArrayList<>();
      for (double load : session.loads()) {
        Cell cell = new Cell("open", session.payload(), 0, load);
        long rate = Math.round(openRates.get(cell));
        openCells.put(rate, cell);
        rateArgs.add(Long.toString(rate));
      }
      args.addAll(List.of("--rate", String.join(",", rateArgs)));
      what = "open payload=" + session.payload() + " rates " + String.join(",", rateArgs);
    } else {
      args.addAll(List.of("--concurrency", session.cs().stream().map(String::valueOf)
          .reduce((a, b) -> a + "," + b).orElseThrow()));
      what = "closed payload=" + session.payload() + " c=" + session.cs();
    }
    log(String.format(Locale.ROOT, "# [%d/%d] round %d/%d %s %s", n, total, session.round() + 1,
        rounds, what, session.impl()));
    Duration timeout = RunCommand.SERVER_START_TIMEOUT.multipliedBy(2).plus(jitWarmupMax)
        .plus(openJitWarmup).plus(RunCommand.DRAIN_LIMIT)
        .plus(warmup.plus(duration).plus(RunCommand.DRAIN_LIMIT).multipliedBy(session.runs()))
        .plus(Duration.ofSeconds(30));
    List<RunResult> got = runChild(JavaProcesses.command(flags, args), timeout);
    if (got.size() < session.runs()) {
      String msg = String.format(Locale.ROOT, "session incomplete (%d of %d runs): round %d %s %s",
          got.size(), session.runs(), session.round() + 1, what, session.impl());
      failures.add(msg);
      log("# " + msg);
    }
    for (RunResult r : got) {
      Cell cell = "open".equals(r.mode()) ? openCells.get(Math.round(r.rate()))
          : new Cell("closed", r.payloadBytes(), r.concurrency(), 0);
      if (cell == null) {
        log("# unexpected RESULT (ignored): " + r.line());
        continue;
      }
      results.computeIfAbsent(cell, k -> new LinkedHashMap<>())
          .computeIfAbsent(session.impl(), k -> new ArrayList<>()).add(r);
    }
  }

  /** Runs one driver JVM; returns its RESULTs (fewer than asked if it failed or timed out). */
  private List<RunResult> runChild(List<String> command, Duration timeout) throws IOException {
    Process proc = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .start();
    current = proc;
    List<RunResult> result = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("RESULT ")) {
            result.add(RunResult.parse(line));
            log(line);
            synchronized (this) {
              resultFile.write(line + System.lineSeparator());
              resultFile.flush();
            }
          } else if (line.startsWith("# first error") || line.startsWith("# jit")
              || line.startsWith("# open-loop warm-up")) {
            log("#   " + line.substring(2));
          }
        }
      } catch (IOException | RuntimeException e) {
        log("# cannot read the driver's output: " + e);
      }
    }, "bench-matrix-driver-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean exited = proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        log("# the driver JVM did not finish within " + timeout.toSeconds() + " s; killing it");
        proc.getOutputStream().close();
        JavaProcesses.end(proc, 0);
      }
      reader.join(5_000);
      if (exited && proc.exitValue() != 0) {
        log("# the driver JVM exited with status " + proc.exitValue());
      }
    } catch (InterruptedException e) {
      JavaProcesses.end(proc, 0);
      Thread.currentThread().interrupt();
    } finally {
      // Its server JVM sees its stdin close when the driver exits; make sure anyway.
      proc.descendants().forEach(ProcessHandle::destroyForcibly);
      current = null;
    }
    synchronized (result) {
      return new ArrayList<>(result);
    }
  }

  private void log(String line) {
    synchronized (console) {
      console.println(line);
      console.flush();
    }
  }

  // ---- report ----

  private String report(List<Impl> closedImpls, List<Impl> openImplList) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "## keel-bench: medians of %d round(s); per session a "
            + "JIT warm-up >= %s, per run warm-up %s + %s measured; %d cores; Keel = keel-cache%n%n",
        rounds, DurationConverter.format(jitWarmup), DurationConverter.format(warmup),
        DurationConverter.format(duration), Runtime.getRuntime().availableProcessors()));
    sb.append("Ratios are Keel's median divided by the other's median: for calls/s below 1 means "
        + "Keel is slower; for latency above 1 means Keel is slower.\n\n");
    List<Cell> closedCells = results.keySet().stream().filter(c -> c.c() > 0).toList();
    if (!closedCells.isEmpty()) {
      table(sb, "Closed loop: calls/s", closedCells, closedImpls, RunResult::callsPerSecond,
          false);
      table(sb, "Closed loop: p50 latency (us)", closedCells, closedImpls, r -> r.p50(), false);
      table(sb, "Closed loop: p99 latency (us)", closedCells, closedImpls, r -> r.p99(), false);
    }
    List<Cell> openCells = results.keySet().stream().filter(c -> c.c() == 0).toList();
    if (!openCells.isEmpty()) {
      table(sb, "Open loop: p50 latency from the intended send time (us)", openCells,
          openImplList, r -> r.p50(), true);
      table(sb, "Open loop: p99 latency from the intended send time (us)", openCells,
          openImplList, r -> r.p99(), true);
      table(sb, "Open loop: p99.9 latency from the intended send time (us)", openCells,
          openImplList, r -> r.p999(), true);
      table(sb, "Open loop: achieved calls/s", openCells, openImplList,
          RunResult::callsPerSecond, true);
    }
    List<String> errorLines = new ArrayList<>();
    results.forEach((cell, byImpl) -> byImpl.forEach((impl, runs) -> {
      long errors = runs.stream().mapToLong(RunResult::errors).sum();
      if (errors > 0) {
        errorLines.add(String.format(Locale.ROOT, "- %s %s: %d errors over %d runs",
            describe(cell), impl, errors, runs.size()));
      }
    }));
    sb.append("Errors: ").append(errorLines.isEmpty() ? "none" : "").append('\n');
    errorLines.forEach(l -> sb.append(l).append('\n'));
    if (!failures.isEmpty()) {
      sb.append("\nFailed runs (no RESULT):\n");
      failures.forEach(f -> sb.append("- ").append(f).append('\n'));
    }
    return sb.toString().stripTrailing();
  }

  private String describe(Cell c) {
    return c.c() > 0 ? String.format(Locale.ROOT, "closed payload=%d c=%d", c.payload(), c.c())
        : String.format(Locale.ROOT, "open payload=%d load=%.0f%%", c.payload(), c.load() * 100);
  }

  private void table(StringBuilder sb, String title, List<Cell> cells, List<Impl> impls,
      ToDoubleFunction<RunResult> metric, boolean open) {
    sb.append("### ").append(title).append("\n\n");
    StringBuilder head = new StringBuilder(open ? "| payload | load | rate |" : "| payload | C |");
    StringBuilder rule = new StringBuilder(open ? "|---:|---:|---:|" : "|---:|---:|");
    for (Impl i : impls) {
      head.append(' ').append(i.cliName()).append(" |");
      rule.append("---:|");
    }
    head.append(" Keel/gRPC | Keel/bare | Keel/raw |");
    rule.append("---:|---:|---:|");
    sb.append(head).append('\n').append(rule).append('\n');
    for (Cell cell : cells) {
      Map<Impl, List<RunResult>> byImpl = results.getOrDefault(cell, Map.of());
      StringBuilder row = new StringBuilder();
      if (open) {
        Double rate = openRates.get(cell);
        row.append(String.format(Locale.ROOT, "| %d | %.0f%% | %s |", cell.payload(),
            cell.load() * 100, rate == null ? "-" : String.format(Locale.ROOT, "%.0f", rate)));
      } else {
        row.append(String.format(Locale.ROOT, "| %d | %d |", cell.payload(), cell.c()));
      }
      for (Impl i : impls) {
        List<RunResult> runs = byImpl.getOrDefault(i, List.of());
        row.append(' ').append(runs.isEmpty() ? "-" : fmt(median(runs, metric))).append(" |");
      }
      Double keel = medianOrNull(byImpl.get(Impl.KEEL_CACHE), metric);
      for (Impl other : List.of(Impl.GRPC, Impl.BARE, Impl.RAW)) {
        Double o = medianOrNull(byImpl.get(other), metric);
        row.append(' ').append(keel == null || o == null || o == 0 ? "-"
            : String.format(Locale.ROOT, "%.2f", keel / o)).append(" |");
      }
      sb.append(row).append('\n');
    }
    sb.append('\n');
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static Double medianOrNull(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
    return runs == null || runs.isEmpty() ? null : median(runs, metric);
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
    double[] v = runs.stream().mapToDouble(metric).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String stripTxt(String name) {
    return name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
  }

  /** The directory of the jar this runs from (rpc-bench/target), else the working directory. */
  private static Path defaultOutDir() {
    try {
      Path p = Path.of(MatrixCommand.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return Files.isRegularFile(p) ? p.getParent() : Path.of("").toAbsolutePath();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("").toAbsolutePath();
    }
  }

  /** A fraction, or nothing for an empty value, so that {@code --open-loads=} means none. */
  static final class OptionalFraction implements picocli.CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return value.isBlank() ? null : Double.valueOf(value.trim());
    }
  }
}

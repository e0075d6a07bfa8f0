package io.keelrpc.examples.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.occ.OccResult;
import io.keelrpc.client.occ.OccUpdate;
import io.keelrpc.client.occ.OccUpdater;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultStats;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.examples.chaos.History.Kind;
import io.keelrpc.examples.chaos.History.Op;
import io.keelrpc.examples.chaos.History.Status;
import io.keelrpc.examples.kv.KvClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The chaos soak: {@code clients} threads run OCC increments (and some plain reads) on a few
 * shared counters in the KV example, which runs in a child JVM on the file backend; faults are
 * injected on both sides and the child is SIGKILLed and restarted on the same data directory
 * and port every {@code restartEvery}. Every store call and every increment goes into a
 * {@link History}; at the end the faulty server is stopped gracefully (no write can land late),
 * a clean one is started on the same data, increments of unknown outcome are settled by writer
 * id, each key is read, and the {@link HistoryChecker} judges it all.
 *
 * <pre>{@code
 * ChaosSoak.Report r = new ChaosSoak(ChaosSoak.Config.defaults(workDir).withOperations(1_500)
 *     .withClients(4)).run(System.out::println);
 * r.verdict().ok();
 * }</pre>
 */
public final class ChaosSoak {
  /** Backoff of network retries and reconnects: 5 ms doubling to 250 ms, jittered. */
  private static final RetryPolicy BACKOFF = RetryPolicy.builder()
      .initialBackoff(Duration.ofMillis(5))
      .maxBackoff(Duration.ofMillis(250))
      .build();

  private static final UnaryOperator<String> INCREMENT =
      v -> v == null ? "1" : Long.toString(Long.parseLong(v) + 1);

  /**
   * What to run.
   *
   * @param clients concurrent clients (default 16)
   * @param operations top-level operations, increments and reads (default 100 000)
   * @param keys counters shared by all clients (default 8)
   * @param readPercent share of plain reads among operations, 0..100 (default 20)
   * @param restartEvery time between SIGKILL restarts, measured from the last start; zero for
   *     none (default 5 s)
   * @param callTimeout one store call's timeout (default 100 ms)
   * @param seed seeds faults and the workload (default 1)
   * @param workDir data directory and child logs go here
   * @param fsync the file backend's fsync policy (default {@code never}: a process crash loses
   *     nothing under any policy, and the soak is about process crashes)
   */
  public record Config(int clients, long operations, int keys, int readPercent,
      Duration restartEvery, Duration callTimeout, long seed, Path workDir, String fsync) {
    /** Validates. */
    public Config {
      if (clients < 1) {
        throw new IllegalArgumentException("clients: " + clients + " (expected: >= 1)");
      }
      if (operations < 1) {
        throw new IllegalArgumentException("operations: " + operations + " (expected: >= 1)");
      }
      if (keys < 1) {
        throw new IllegalArgumentException("keys: " + keys + " (expected: >= 1)");
      }
      if (readPercent < 0 || readPercent > 100) {
        throw new IllegalArgumentException("readPercent: " + readPercent + " (expected: 0..100)");
      }
      Objects.requireNonNull(restartEvery, "restartEvery");
      if (restartEvery.isNegative()) {
        throw new IllegalArgumentException("restartEvery: " + restartEvery + " (expected: >= 0)");
      }
      Objects.requireNonNull(callTimeout, "callTimeout");
      Objects.requireNonNull(workDir, "workDir");
      Objects.requireNonNull(fsync, "fsync");
    }

    /** The defaults, working in {@code workDir}. */
    public static Config defaults(Path workDir) {
      return new Config(16, 100_000, 8, 20, Duration.ofSeconds(10), Duration.ofMillis(100), 1,
          workDir, "never");
    }

    /** With {@code n} clients. */
    public Config withClients(int n) {
      return new Config(n, operations, keys, readPercent, restartEvery, callTimeout, seed, workDir,
          fsync);
    }

    /** With {@code n} operations. */
    public Config withOperations(long n) {
      return new Config(clients, n, keys, readPercent, restartEvery, callTimeout, seed, workDir,
          fsync);
    }

    /** With {@code n} keys. */
    public Config withKeys(int n) {
      return new Config(clients, operations, n, readPercent, restartEvery, callTimeout, seed,
          workDir, fsync);
    }

    /** Restarting every {@code d}. */
    public Config withRestartEvery(Duration d) {
      return new Config(clients, operations, keys, readPercent, d, callTimeout, seed, workDir,
          fsync);
    }

    /** With seed {@code s}. */
    public Config withSeed(long s) {
      return new Config(clients, operations, keys, readPercent, restartEvery, callTimeout, s,
          workDir, fsync);
    }

    /** With fsync policy {@code f}. */
    public Config withFsync(String f) {
      return new Config(clients, operations, keys, readPercent, restartEvery, callTimeout, seed,
          workDir, f);
    }
  }

  /**
   * The figures of a run.
   *
   * @param operations top-level operations done (increments and reads)
   * @param increments increments started
   * @param acknowledged increments acknowledged
   * @param unknown increments of unknown outcome (gave up with a write outstanding)
   * @param settledApplied of those, found applied by writer id
   * @param reads plain reads
   * @param historyOps operations in the history (store calls, increments, final reads)
   * @param conflicts version conflicts the increments met
   * @param networkRetries store calls sent again after a network failure
   * @param recovered lost answers found applied by writer id
   * @param clientFaults faults injected by the clients' injectors
   * @param serverFaults faults injected by the last faulty server instance (counters of killed
   *     instances die with them); empty if it did not report
   * @param restarts SIGKILL restarts
   * @param elapsed time of the load
   * @param checkTime time of the check
   * @param verdict the checker's verdict
   */
  public record Report(long operations, long increments, long acknowledged, long unknown,
      long settledApplied, long reads, int historyOps, long conflicts, long networkRetries,
      long recovered, FaultStats clientFaults, Optional<FaultStats> serverFaults, int restarts,
      Duration elapsed, Duration checkTime, HistoryChecker.Verdict verdict) {}

  private final Config config;
  private final Ticker ticker;
  private volatile Consumer<String> progress = line -> { };
  private volatile long startNanos;

  /** A soak of {@code config} timed by the system ticker. */
  public ChaosSoak(Config config) {
    this(config, Ticker.system());
  }

  /** A soak of {@code config} timed by {@code ticker}. */
  public ChaosSoak(Config config, Ticker ticker) {
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** The faults of one side, in {@link FaultInjector#fromJson} form. */
  static ObjectNode faultJson(long seed, boolean client) {
    ObjectNode root = KeelJson.mapper().createObjectNode().put("seed", seed);
    ObjectNode all = root.putObject("all");
    if (client) {
      all.put("dropRequest", 0.10);
    } else {
      all.put("dropResponse", 0.10);
    }
    all.put("duplicateRequest", 0.05).put("disconnect", 0.01);
    all.putObject("delay").put("rate", 0.10).put("kind", "uniform").put("minMs", 1)
        .put("maxMs", 10);
    return root;
  }

  /** Runs the soak; {@code log} gets progress lines. */
  public Report run(Consumer<String> log) throws IOException, InterruptedException {
    Path dataDir = config.workDir().resolve("data");
    Files.createDirectories(dataDir);
    List<String> base = List.of("--backend", "file", "--data-dir", dataDir.toString(),
        "--fsync", config.fsync(), "--writer-history", "65536");
    List<String> faulty = new ArrayList<>(base);
    faulty.add("--faults");
    faulty.add(faultJson(config.seed(), false).toString());
    AtomicInteger generation = new AtomicInteger();
    KvServerChild first = KvServerChild.start(config.workDir(), "kv-0", 0, ticker, faulty);
    int port = first.port();
    log.accept("kv-server pid " + first.pid() + " on port " + port + ", data " + dataDir);
    History history = new History(ticker);
    AtomicLong started = new AtomicLong();
    long loadStart = ticker.nanoTime();
    startNanos = loadStart;
    progress = log;
    List<ClientLoop> loops = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++) {
      loops.add(new ClientLoop(i, port, history, started));
    }
    CountDownLatch done = new CountDownLatch(1);
    Restarter restarter = new Restarter(first, port, faulty, generation, done, log);
    Thread restarterThread = new Thread(restarter, "chaos-restarter");
    restarterThread.setDaemon(true);
    restarterThread.start();
    try {
      loops.forEach(ClientLoop::start);
      for (ClientLoop l : loops) {
        l.join();
      }
    } catch (InterruptedException | RuntimeException | Error e) {
      done.countDown();
      restarterThread.join(30_000);
      restarter.current.kill();   // no child outlives a failed or interrupted soak
      throw e;
    }
    Duration elapsed = Duration.ofNanos(ticker.nanoTime() - loadStart);
    done.countDown();
    restarterThread.join();
    if (restarter.failure != null) {
      throw new IOException("restarting kv-server failed", restarter.failure);
    }
    FaultStats clientFaults = FaultStats.ZERO;
    for (ClientLoop l : loops) {
      l.keel.close();
      clientFaults = sum(clientFaults, l.faults.stats());
    }
    // Graceful stop: drains what is under way, so no write can land after the settlement.
    Optional<FaultStats> serverFaults = restarter.current.stop().map(ChaosSoak::stats);
    KvServerChild clean = KvServerChild.start(config.workDir(), "kv-final", port, ticker, base);
    Map<String, Boolean> settled = new TreeMap<>();
    Map<String, HistoryChecker.Final> finalState = new TreeMap<>();
    try (KeelClient keel = KeelClient.builder().endpoint("127.0.0.1", port)
        .idPrefix("final-").build()) {
      KvClient kv = new KvClient(keel, Duration.ofSeconds(5));
      for (ClientLoop l : loops) {
        for (Op op : l.unknown) {
          settled.put(op.writerId(), probe(kv, op.key(), op.writerId()));
        }
      }
      RecordingStore recorder = new RecordingStore(kv, history, "final");
      for (int k = 0; k < config.keys(); k++) {
        Versioned<String> v = recorder.read(key(k)).toCompletableFuture().join();
        finalState.put(key(k), new HistoryChecker.Final(v.value(), v.version()));
      }
    } finally {
      clean.stop();
    }
    long checkStart = ticker.nanoTime();
    List<Op> ops = history.ops();
    HistoryChecker.Verdict verdict = HistoryChecker.check(ops, finalState, settled);
    Duration checkTime = Duration.ofNanos(ticker.nanoTime() - checkStart);
    long increments = 0;
    long acknowledged = 0;
    long unknown = 0;
    long reads = 0;
    long conflicts = 0;
    long retries = 0;
    long recovered = 0;
    for (ClientLoop l : loops) {
      increments += l.increments;
      acknowledged += l.acknowledged;
      unknown += l.unknown.size();
      reads += l.reads;
      conflicts += l.conflicts;
      retries += l.networkRetries;
      recovered += l.recovered;
    }
    long settledApplied = settled.values().stream().filter(b -> b).count();
    return new Report(increments + reads, increments, acknowledged, unknown, settledApplied,
        reads, ops.size(), conflicts, retries, recovered, clientFaults, serverFaults,
        restarter.restarts, elapsed, checkTime, verdict);
  }

  /**
   * Whether {@code writerId} was applied to {@code key}: a write expecting an impossible version
   * never applies, and the store checks writer ids first.
   */
  private static boolean probe(KvClient kv, String key, String writerId) {
    try {
      kv.write(key, "probe", Long.MAX_VALUE, writerId).toCompletableFuture().join();
      throw new IllegalStateException("a probe write applied to " + key);
    } catch (RuntimeException e) {
      Throwable t = RecordingStore.unwrap(e);
      if (t instanceof VersionMismatchException m) {
        return m.appliedVersion() != null;
      }
      if (t instanceof KeyNotFoundException) {
        return false;
      }
      throw e;
    }
  }

  private static FaultStats stats(JsonNode n) {
    return new FaultStats(n.path("requestsDropped").asLong(), n.path("responsesDropped").asLong(),
        n.path("delayed").asLong(), n.path("duplicated").asLong(), n.path("disconnects").asLong());
  }

  private static FaultStats sum(FaultStats a, FaultStats b) {
    return new FaultStats(a.requestsDropped() + b.requestsDropped(),
        a.responsesDropped() + b.responsesDropped(), a.delayed() + b.delayed(),
        a.duplicated() + b.duplicated(), a.disconnects() + b.disconnects());
  }

  private static String key(int k) {
    return "counter-" + k;
  }

  /** SIGKILLs and restarts the child every {@code restartEvery} until {@code done}. */
  private final class Restarter implements Runnable {
    volatile KvServerChild current;
    final int port;
    final List<String> args;
    final AtomicInteger generation;
    final CountDownLatch done;
    final Consumer<String> log;
    volatile int restarts;
    volatile Exception failure;

    Restarter(KvServerChild first, int port, List<String> args, AtomicInteger generation,
        CountDownLatch done, Consumer<String> log) {
      this.current = first;
      this.port = port;
      this.args = args;
      this.generation = generation;
      this.done = done;
      this.log = log;
    }

    @Override
    public void run() {
      if (config.restartEvery().isZero()) {
        return;
      }
      try {
        while (!done.await(config.restartEvery().toNanos(), TimeUnit.NANOSECONDS)) {
          long t0 = ticker.nanoTime();
          current.kill();
          current = startOnPort("kv-" + generation.incrementAndGet());
          restarts++;
          log.accept("SIGKILL restart " + restarts + ": pid " + current.pid() + " up after "
              + Duration.ofNanos(ticker.nanoTime() - t0).toMillis() + " ms");
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        failure = e;
      }
    }

    private KvServerChild startOnPort(String name) throws IOException, InterruptedException {
      IOException last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        try {
          return KvServerChild.start(config.workDir(), name + (attempt == 0 ? "" : "-" + attempt),
              port, ticker, args);
        } catch (IOException e) {
          last = e;   // e.g. the port not free yet
        }
      }
      throw last;
    }
  }

  /** One client: a thread doing increments and reads until the operations run out. */
  private final class ClientLoop {
    final String name;
    final FaultInjector faults;
    final KeelClient keel;
    final RecordingStore store;
    final OccUpdater updater;
    final History history;
    final AtomicLong started;
    final SplittableRandom random;
    final Thread thread;
    final List<Op> unknown = new ArrayList<>();
    volatile String nextWriterId;
    long writers;
    long increments;
    long acknowledged;
    long reads;
    long conflicts;
    long networkRetries;
    long recovered;

    ClientLoop(int index, int port, History history, AtomicLong started) {
      this.name = "c" + index;
      this.history = history;
      this.started = started;
      this.random = new SplittableRandom(config.seed() * 1_000_003L + index);
      this.faults = FaultInjector.fromJson(faultJson(config.seed() * 31 + index + 1, true));
      this.keel = KeelClient.builder()
          .endpoint("127.0.0.1", port)
          .idPrefix(name + "-")
          .faultInjector(faults)
          .reconnectBackoff(BACKOFF)
          .build();
      this.store = new RecordingStore(new KvClient(keel, config.callTimeout()), history, name);
      this.updater = OccUpdater.builder()
          .maxNetworkRetries(40)
          .networkBackoff(BACKOFF)
          .writerIds(() -> nextWriterId)
          .build();
      this.thread = new Thread(this::loop, "chaos-" + name);
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void join() throws InterruptedException {
      thread.join();
    }

    private void loop() {
      long n;
      while ((n = started.getAndIncrement()) < config.operations()) {
        if (n > 0 && n % Math.max(1, config.operations() / 10) == 0) {
          progress.accept(n + " operations started after "
              + Duration.ofNanos(ticker.nanoTime() - startNanos).toMillis() + " ms");
        }
        String key = key(random.nextInt(config.keys()));
        if (random.nextInt(100) < config.readPercent()) {
          reads++;
          store.read(key).handle((v, e) -> null).toCompletableFuture().join();
          continue;
        }
        increments++;
        String writerId = name + "-" + (++writers);
        nextWriterId = writerId;
        History.Call call = history.invoke(name, Kind.INCREMENT, key, -1, null, writerId);
        OccUpdate<String> u = updater.start(store, key, INCREMENT,
            Deadline.after(Duration.ofSeconds(60), ticker));
        try {
          OccResult<String> r = u.result().join();
          acknowledged++;
          conflicts += r.conflicts();
          networkRetries += r.networkRetries();
          recovered += r.ambiguousWriteRecovered() ? 1 : 0;
          call.ok(r.written().version(), r.written().value());
        } catch (RuntimeException e) {
          if (u.mayHaveApplied()) {
            call.unknown();
            unknown.add(new Op(call.id(), name, Kind.INCREMENT, key, -1, null, writerId, 0,
                Long.MAX_VALUE, Status.UNKNOWN, -1, null));
          } else {
            call.failed();
          }
        }
      }
    }
  }
}

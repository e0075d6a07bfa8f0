package io.keelrpc.examples.scenario;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.occ.OccResult;
import io.keelrpc.client.occ.OccUpdate;
import io.keelrpc.client.occ.OccUpdater;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.kv.KvClient;
import io.keelrpc.examples.kv.KvService;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import io.keelrpc.examples.kv.storage.KvStorage;
import io.keelrpc.examples.kv.storage.StoredValue;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The seed's ServerRunner: starts a KV server and one OCC client per configured client, lets the
 * clients increment their counters under the injected faults until the duration ends or
 * {@link #stop()} is called, then checks the invariant that every counter equals the number of
 * increments acknowledged on it.
 *
 * <p>Each client has its own {@link KeelClient} (with its own request loss), increments its keys in
 * turn with an {@link OccUpdater}, and counts what its updates met. Stopping cancels the update
 * each client has under way, mid-retry if need be; such an update, or one that ran out of network
 * retries, may still have been applied when one of its writes was sent and never answered. Once
 * the server has drained, the runner settles each of them against the store by writer id (a probe
 * write that can never apply, which the store answers with the writer id's applied version if it
 * applied), so the invariant is exact, not a range.
 *
 * <pre>{@code
 * ScenarioReport report = new ScenarioRunner(ScenarioConfig.builtIn()).run();
 * System.out.print(report.render());
 * System.exit(report.invariantHolds() ? 0 : 1);
 * }</pre>
 */
public final class ScenarioRunner {
  private static final UnaryOperator<String> INCREMENT =
      v -> v == null ? "1" : Long.toString(Long.parseLong(v) + 1);

  private final ScenarioConfig config;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final List<ClientLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A runner for {@code config}; nothing starts before {@link #run()}. */
  public ScenarioRunner(ScenarioConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Stops the run early, as Ctrl+C does: clients cancel their update under way and stop. Safe
   * to call from any thread, any number of times.
   */
  public void stop() {
    stopSignal.countDown();
  }

  /** Increments acknowledged so far by all clients; for progress displays and tests. */
  public long acknowledgedSoFar() {
    long sum = 0;
    for (ClientLoop loop : List.copyOf(loops)) {
      sum += loop.operations.get();
    }
    return sum;
  }

  /**
   * Runs the scenario and returns its report; blocks for the configured duration (or until
   * {@link #stop()}) plus the time clients need to notice.
   *
   * @throws IOException if a durable backend cannot be opened
   */
  public ScenarioReport run() throws IOException, InterruptedException {
    Path dataDir = config.dataDir();
    if (dataDir == null && config.backend() != io.keelrpc.examples.kv.KvBackend.MEMORY) {
      dataDir = Files.createTempDirectory("keel-scenario-");
    }
    long started = Ticker.system().nanoTime();
    try (KvStorage storage = config.backend().open(dataDir, FsyncPolicy.never(),
        KvStorage.DEFAULT_WRITER_HISTORY)) {
      FaultInjector serverFaults = serverFaults();
      KeelServer server = KvService.register(KeelServer.builder()
              .port(0)
              .idempotency(config.idempotencyCache())
              .faultInjector(serverFaults), storage)
          .start();
      boolean stoppedEarly;
      try {
        for (int i = 0; i < config.clients().size(); i++) {
          loops.add(new ClientLoop(config.clients().get(i), i, server.port()));
        }
        loops.forEach(ClientLoop::start);
        stoppedEarly = stopSignal.await(config.duration().toMillis(), TimeUnit.MILLISECONDS);
        loops.forEach(ClientLoop::requestStop);
        for (ClientLoop loop : loops) {
          loop.join();
        }
      } finally {
        server.close(); // drains: no write of a lost or cancelled call can land after this
      }
      List<ClientReport> clients = new ArrayList<>();
      Map<String, Long> acknowledged = new TreeMap<>();
      for (ClientLoop loop : loops) {
        ClientReport r = loop.settle(storage);
        clients.add(r);
        r.acknowledgedByKey().forEach((k, n) -> acknowledged.merge(k, n, Long::sum));
      }
      SortedMap<String, StoredValue> finalState = storage.snapshot();
      List<FaultLine> faults = new ArrayList<>();
      faults.add(new FaultLine("server", serverFaults.stats()));
      for (ClientLoop loop : loops) {
        faults.add(new FaultLine(loop.spec.name(), loop.faults.stats()));
      }
      return new ScenarioReport(config, Duration.ofNanos(Ticker.system().nanoTime() - started),
          stoppedEarly, finalState, acknowledged, clients, faults);
    }
  }

  private FaultInjector serverFaults() {
    FaultRule.Builder all = FaultRule.builder()
        .dropRequest(config.serverRequestLossPercent() / 100);
    if (config.serverDelay() != null) {
      all.delay(config.serverDelay().ratePercent() / 100, config.serverDelay().delay());
    }
    FaultRule allRule = all.build();
    FaultRule.Builder put = FaultRule.builder()
        .dropRequest(config.serverRequestLossPercent() / 100)
        .dropResponse(config.serverResponseLossPercent() / 100);
    if (config.serverDelay() != null) {
      put.delay(config.serverDelay().ratePercent() / 100, config.serverDelay().delay());
    }
    return FaultInjector.builder()
        .seed(config.seed())
        .forAllMethods(allRule)
        .forMethod(KvService.PUT.name(), put.build())
        .build();
  }

  /** What a fault injector did, by where it was installed. */
  record FaultLine(String where, io.keelrpc.core.fault.FaultStats stats) {}

  /** One client's thread: increments its keys in turn until asked to stop. */
  private final class ClientLoop {
    final ScenarioConfig.ClientSpec spec;
    final FaultInjector faults;
    final KeelClient keel;
    final KvClient kv;
    final OccUpdater updater;
    final Thread thread;
    final Map<String, Long> acknowledged = new TreeMap<>();
    final List<Pending> unsettled = new ArrayList<>();
    volatile boolean stopping;
    volatile OccUpdate<String> current;
    final java.util.concurrent.atomic.AtomicLong operations =
        new java.util.concurrent.atomic.AtomicLong();
    long conflicts;
    long networkRetries;
    long modeSwitches;
    long ambiguousRecovered;
    long gaveUp;

    ClientLoop(ScenarioConfig.ClientSpec spec, int index, int port) {
      this.spec = spec;
      this.faults = FaultInjector.builder()
          .seed(config.seed() * 1_000_003L + index + 1)
          .forAllMethods(FaultRule.builder().dropRequest(spec.requestLossPercent() / 100).build())
          .build();
      this.keel = KeelClient.builder()
          .endpoint("127.0.0.1", port)
          .idPrefix(spec.name().replaceAll("[^A-Za-z0-9_-]", "_"))
          .faultInjector(faults)
          .build();
      this.kv = new KvClient(keel, Duration.ofMillis(config.callTimeoutMs()));
      java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
      this.updater = OccUpdater.builder()
          .maxNetworkRetries(config.maxNetworkRetries())
          .writerIds(() -> spec.name() + "-" + writes.incrementAndGet())
          .build();
      this.thread = new Thread(this::loop, "scenario-" + spec.name());
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void requestStop() {
      stopping = true;
      OccUpdate<String> u = current;
      if (u != null) {
        u.result().cancel(false);
      }
    }

    void join() throws InterruptedException {
      thread.join();
      keel.close();
    }

    private void loop() {
      List<String> keys = spec.keys();
      for (long n = 0; !stopping; n++) {
        String key = keys.get((int) (n % keys.size()));
        // An update may take as long as it needs (conflicts are unlimited); stop() cancels it.
        OccUpdate<String> u = updater.start(kv, key, INCREMENT,
            Deadline.after(Duration.ofHours(1), Ticker.system()));
        current = u;
        if (stopping) {
          u.result().cancel(false);
        }
        try {
          OccResult<String> r = u.result().join();
          operations.incrementAndGet();
          acknowledged.merge(key, 1L, Long::sum);
          conflicts += r.conflicts();
          networkRetries += r.networkRetries();
          modeSwitches += r.modeSwitches();
          ambiguousRecovered += r.ambiguousWriteRecovered() ? 1 : 0;
        } catch (CancellationException | CompletionException e) {
          if (!(e instanceof CancellationException)) {
            gaveUp++;
          }
          if (u.mayHaveApplied()) {
            unsettled.add(new Pending(key, u));
          }
        }
      }
    }

    /**
     * Settles the updates whose outcome is unknown, against the quiet store: a write that expects
     * an impossible version can never apply, and the store answers it with the writer id's applied
     * version if one of the update's writes went through.
     */
    ClientReport settle(KvStorage storage) {
      long settledApplied = 0;
      for (Pending p : unsettled) {
        String key = p.key();
        try {
          storage.put(key, "probe", Long.MAX_VALUE, p.update().writerId());
          throw new IllegalStateException("a probe write applied to " + key);
        } catch (VersionMismatchException e) {
          if (e.appliedVersion() != null) {
            settledApplied++;
            acknowledged.merge(key, 1L, Long::sum);
          }
        } catch (io.keelrpc.core.occ.KeyNotFoundException e) {
          // never created: nothing of this update applied
        }
      }
      return new ClientReport(spec.name(), operations.get(), conflicts, networkRetries, modeSwitches,
          ambiguousRecovered, gaveUp, unsettled.size(), settledApplied, Map.copyOf(acknowledged));
    }
  }

  /** An update stopped or given up whose write may have applied. */
  private record Pending(String key, OccUpdate<String> update) {}

  /**
   * One client's numbers.
   *
   * @param name the client
   * @param operations increments acknowledged to the client
   * @param conflicts writes refused because another client wrote first
   * @param networkRetries store calls sent again after a lost request or answer
   * @param modeSwitches create/update switches
   * @param ambiguousRecovered writes whose answer was lost, found applied by writer id
   * @param gaveUp increments that ran out of network retries
   * @param unsettled increments stopped or given up with a write whose outcome was unknown
   * @param settledApplied of those, the ones the store shows applied
   * @param acknowledgedByKey acknowledged plus settled-applied increments per key
   */
  public record ClientReport(String name, long operations, long conflicts, long networkRetries,
      long modeSwitches, long ambiguousRecovered, long gaveUp, long unsettled, long settledApplied,
      Map<String, Long> acknowledgedByKey) {}
}

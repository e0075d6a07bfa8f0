package io.keelrpc.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.VersionMismatchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The durability claim, tested the hard way: kv-server in a child JVM under a load of conflicting
 * read-modify-writes is killed with SIGKILL mid-load and restarted on the same data directory;
 * every write acknowledged before the kill must be there, and no key's version may have gone
 * backwards.
 *
 * <p>Each written value names its writer, the writer's sequence number and the version it was
 * written at ({@code w2#17@41}), so a recovered value can be checked against its version and
 * against the acknowledgement of that version.
 */
class KvServerCrashRecoveryTest {
  private static final int WRITERS = 4;
  private static final int KEYS = 6;
  private static final int ACKS_BEFORE_KILL = 200;

  @TempDir
  Path dir;

  /** One acknowledged write. */
  private record Ack(String key, long version, String value) {}

  @ParameterizedTest(name = "{0} backend, fsync {1}")
  @CsvSource({"file, always", "file, never", "sqlite, always"})
  void everyAcknowledgedWriteSurvivesSigkill(String backend, String fsync) throws Exception {
    long started = System.nanoTime();
    Path data = dir.resolve("data");
    String[] args = {"--backend", backend, "--data-dir", data.toString(), "--fsync", fsync};

    List<Ack> acks = new ArrayList<>();
    Map<String, Long> seenBeforeKill = new ConcurrentHashMap<>();
    long upMs;
    long killedAtMs;
    try (KvServerProcess first = KvServerProcess.start(dir, "first", args)) {
      upMs = (System.nanoTime() - started) / 1_000_000;
      Load load = new Load(first.port(), seenBeforeKill);
      try {
        await("acknowledged writes before the kill").atMost(Duration.ofSeconds(30))
            .failFast("a writer failed before the kill", () -> !load.unexpected.isEmpty())
            .until(() -> load.acked.get() >= ACKS_BEFORE_KILL);
      } finally {
        load.killing = true;
        first.kill();
        killedAtMs = (System.nanoTime() - started) / 1_000_000;
        acks.addAll(load.stop());
      }
      assertThat(load.unexpected).as("failures before the kill").isEmpty();
    }
    assertThat(acks).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

    try (KvServerProcess second = KvServerProcess.start(dir, "second", args);
        KeelClient keel = KeelClient.builder().endpoint("127.0.0.1", second.port()).build()) {
      KvClient kv = new KvClient(keel);
      for (int k = 0; k < KEYS; k++) {
        String key = "key-" + k;
        Versioned<String> recovered = kv.read(key).toCompletableFuture().join();
        List<Ack> keyAcks = acks.stream().filter(a -> a.key().equals(key)).toList();
        long maxAcked = keyAcks.stream().mapToLong(Ack::version).max().orElse(0);

        assertThat(recovered.version()).as(key + ": version after restart vs acknowledged")
            .isGreaterThanOrEqualTo(maxAcked)
            .isGreaterThanOrEqualTo(seenBeforeKill.getOrDefault(key, 0L));
        if (recovered.exists()) {
          assertThat(recovered.value()).as(key + ": value names its version")
              .endsWith("@" + recovered.version());
        }
        for (Ack ack : keyAcks) {
          if (ack.version() == recovered.version()) {
            assertThat(recovered.value()).as(key + ": the acknowledged value")
                .isEqualTo(ack.value());
          }
        }
        // The restarted server goes on from where the log ended.
        long next = kv.write(key, "after@" + (recovered.version() + 1), recovered.version(),
            "after-restart-" + k).toCompletableFuture().join();
        assertThat(next).isEqualTo(recovered.version() + 1);
      }
    }
    long totalMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("kv crash test (%s, fsync %s): server up after %d ms, %d writes "
        + "acknowledged, SIGKILL at %d ms, restarted and verified: %d ms in all%n", backend, fsync,
        upMs, acks.size(), killedAtMs, totalMs);
  }

  /** WRITERS threads doing read-modify-write on KEYS shared keys until the server dies. */
  private static final class Load {
    final AtomicInteger acked = new AtomicInteger();
    final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    volatile boolean killing;
    private final KeelClient keel;
    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    private final List<Future<List<Ack>>> writers = new ArrayList<>();
    private final Map<String, Long> seen;

    Load(int port, Map<String, Long> seen) {
      this.keel = KeelClient.builder().endpoint("127.0.0.1", port).build();
      this.seen = seen;
      KvClient kv = new KvClient(keel, Duration.ofSeconds(5));
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> write(kv, writer)));
      }
    }

    private List<Ack> write(KvClient kv, int writer) {
      List<Ack> mine = new ArrayList<>();
      for (int seq = 0; !killing; seq++) {
        String key = "key-" + ((writer + seq) % KEYS);
        try {
          Versioned<String> current = kv.read(key).toCompletableFuture().join();
          seen.merge(key, current.version(), Math::max);
          long next = current.version() + 1;
          String value = "w" + writer + "#" + seq + "@" + next;
          long version = kv.write(key, value, current.version(), "w" + writer + "-" + seq)
              .toCompletableFuture().join();
          mine.add(new Ack(key, version, value));
          acked.incrementAndGet();
        } catch (CompletionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof VersionMismatchException || cause instanceof KeyExistsException) {
            continue; // another writer got there first
          }
          if (!killing) {
            unexpected.add(cause);
          }
          break;
        }
      }
      return mine;
    }

    /** Waits for every writer to notice the dead server; returns every acknowledged write. */
    List<Ack> stop() throws Exception {
      List<Ack> all = new ArrayList<>();
      try {
        for (Future<List<Ack>> f : writers) {
          all.addAll(f.get(30, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
        keel.close();
      }
      return all;
    }
  }
}

package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.await;
import static io.keelrpc.client.occ.OccFixtures.ms;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several updaters increment the same counters concurrently through lost requests and lost
 * answers: every counter ends equal to the number of increments acknowledged on it.
 */
class OccUpdaterConcurrencyTest {
  private static final int CLIENTS = 6;
  private static final int INCREMENTS_PER_CLIENT = 40;
  private static final List<String> KEYS = List.of("a", "b");

  private final ScheduledExecutorService threads = new ScheduledThreadPoolExecutor(4);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Totals over every acknowledged update. */
  private static final class Tally {
    final int[] perKey = new int[KEYS.size()];
    int conflicts;
    int networkRetries;
    int recovered;

    synchronized void add(int key, OccResult<Long> r) {
      perKey[key]++;
      conflicts += r.conflicts();
      networkRetries += r.networkRetries();
      recovered += r.ambiguousWriteRecovered() ? 1 : 0;
    }
  }

  /** One client: increments the keys in turn, one update after the other. */
  private static CompletableFuture<Void> client(OccUpdater updater, ScriptedStore<Long> store,
      Ticker ticker, Tally tally) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int i = 0; i < INCREMENTS_PER_CLIENT; i++) {
      int key = i % KEYS.size();
      chain = chain
          .thenCompose(x -> updater.update(store, KEYS.get(key), INCREMENT,
              Deadline.after(Duration.ofSeconds(30), ticker)))
          .thenAccept(r -> tally.add(key, r));
    }
    return chain;
  }

  private static void assertInvariant(ScriptedStore<Long> store, Tally tally) {
    assertThat(store.unusedHooks()).isZero();
    for (int k = 0; k < KEYS.size(); k++) {
      assertThat(store.get(KEYS.get(k)).value()).as("counter %s", KEYS.get(k))
          .isEqualTo((long) tally.perKey[k]);
    }
    assertThat(tally.perKey[0] + tally.perKey[1]).isEqualTo(CLIENTS * INCREMENTS_PER_CLIENT);
    // the run exercised lost requests and lost answers (contention is checked where it is certain)
    assertThat(tally.networkRetries).isPositive();
    assertThat(tally.recovered).isPositive();
  }

  @Test
  void concurrentIncrementsOnVirtualTimeEndEqualToTheAcknowledgedCount() {
    FakeClock clock = new FakeClock();
    Random random = new Random(42);
    ScriptedStore<Long> store = new ScriptedStore<Long>()
        .latency(clock, ms(5))
        .randomFaults(random, 0.10, 0.10);
    Tally tally = new Tally();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      OccUpdater updater = virtualTime(clock).random(random::nextDouble)
          .writerIds(writerIds("c" + c))
          .networkBackoff(RetryPolicy.builder().initialBackoff(ms(10)).build())
          .build();
      clients.add(client(updater, store, clock, tally));
    }
    CompletableFuture<Void> all =
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new));

    for (int step = 0; step < 1_000_000 && !all.isDone(); step++) {
      clock.advance(ms(1));
    }

    assertThat(all).isCompleted();
    assertInvariant(store, tally);
    assertThat(tally.conflicts).as("clients contended for the keys").isPositive();
  }

  @Test
  void concurrentIncrementsOnRealThreadsEndEqualToTheAcknowledgedCount() {
    Scheduler scheduler = (task, delayNanos) -> {
      ScheduledFuture<?> f = threads.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
    Random random = new Random(7);
    ScriptedStore<Long> store = new ScriptedStore<Long>()
        .latency(scheduler, Duration.ZERO) // answers come from the pool's threads
        .randomFaults(random, 0.10, 0.10);
    Tally tally = new Tally();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      OccUpdater updater = OccUpdater.builder()
          .scheduler(scheduler)
          .networkBackoff(RetryPolicy.builder().initialBackoff(Duration.ofNanos(100_000))
              .maxBackoff(ms(2)).build())
          .build();
      clients.add(client(updater, store, Ticker.system(), tally));
    }

    await(CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)));

    assertInvariant(store, tally);
  }

  private static Supplier<String> writerIds(String client) {
    AtomicInteger n = new AtomicInteger();
    return () -> client + "-" + n.incrementAndGet();
  }
}

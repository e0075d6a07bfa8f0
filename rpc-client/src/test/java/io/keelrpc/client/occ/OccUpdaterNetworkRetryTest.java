package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.done;
import static io.keelrpc.client.occ.OccFixtures.failure;
import static io.keelrpc.client.occ.OccFixtures.inSeconds;
import static io.keelrpc.client.occ.OccFixtures.ms;
import static io.keelrpc.client.occ.OccFixtures.otherClientIncrements;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.after;
import static io.keelrpc.client.occ.ScriptedStore.failWith;
import static io.keelrpc.client.occ.ScriptedStore.loseRequest;
import static io.keelrpc.client.occ.ScriptedStore.loseResponse;
import static io.keelrpc.client.occ.ScriptedStore.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.occ.ScriptedStore.Call;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Network failures of reads and writes: limited retries with backoff on the scheduler; a write
 * is sent again unchanged, and a retry that meets its own applied write completes the update.
 */
class OccUpdaterNetworkRetryTest {
  private final FakeClock clock = new FakeClock();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  private OccUpdater updater(int maxNetworkRetries) {
    return virtualTime(clock).maxNetworkRetries(maxNetworkRetries).build();
  }

  private CompletableFuture<OccResult<Long>> increment(OccUpdater updater) {
    return updater.update(store, "k", INCREMENT, inSeconds(60, clock));
  }

  private static TransportException lost(String what) {
    return new TransportException(what, true, null);
  }

  @Test
  void lostWriteIsSentAgainUnchangedAfterTheBackoff() {
    store.apply("k", n -> 5L, "setup");
    store.nextWrites(loseRequest());

    CompletableFuture<OccResult<Long>> f = increment(updater(10));
    assertThat(store.calls()).hasSize(2);
    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));
    clock.advance(ms(49));
    assertThat(store.calls()).hasSize(2);
    clock.advance(ms(1));

    assertThat(store.writes()).containsExactly(new Call("write", "k", 6L, 1, "w1"),
        new Call("write", "k", 6L, 1, "w1"));
    OccResult<Long> r = done(f);
    assertThat(r).isEqualTo(new OccResult<>(new Versioned<>(6L, 2, "w1"), 0, 1, 0, false));
  }

  @Test
  void lostAnswerOfAnAppliedWriteIsRecoveredWithoutApplyingItTwice() {
    store.apply("k", n -> 5L, "setup");
    store.nextWrites(loseResponse());
    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    clock.advance(ms(50));

    OccResult<Long> r = done(f);
    assertThat(r.written()).isEqualTo(new Versioned<>(6L, 2, "w1"));
    assertThat(r.ambiguousWriteRecovered()).isTrue();
    assertThat(r.networkRetries()).isEqualTo(1);
    assertThat(r.conflicts()).isZero();
    assertThat(store.get("k")).isEqualTo(new Versioned<>(6L, 2, "w1"));
  }

  @Test
  void mismatchNamingMyWriterIdAsLastWriterProvesAppliedWithoutAnAppliedVersion() {
    // A store that keeps only the last writer: its mismatch carries writerId but no appliedVersion.
    store.apply("k", n -> 5L, "setup");
    store.nextWrites(failWith(lost("timeout")),
        failWith(new VersionMismatchException("k", 1, 2, "w1", null)));
    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    clock.advance(ms(50));

    OccResult<Long> r = done(f);
    assertThat(r.written()).isEqualTo(new Versioned<>(6L, 2, "w1"));
    assertThat(r.ambiguousWriteRecovered()).isTrue();
  }

  @Test
  void lostReadsAreRetriedWithGrowingBackoff() {
    store.nextReads(loseRequest(), loseRequest());
    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));
    clock.advance(ms(50));
    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(100));
    clock.advance(ms(100));

    assertThat(store.calls()).extracting(Call::op).containsExactly("read", "read", "read", "write");
    assertThat(done(f).networkRetries()).isEqualTo(2);
  }

  @Test
  void backoffDoublesUpToTheCapAndNeverWaitsOnAnyOtherClock() {
    for (int i = 0; i < 7; i++) {
      store.nextWrites(loseRequest());
    }
    CompletableFuture<OccResult<Long>> f = increment(updater(10));
    List<Duration> waits = new ArrayList<>();

    while (!f.isDone()) {
      // the backoff (soonest) and the deadline timer are all that is scheduled
      assertThat(clock.pendingTasks()).isEqualTo(2);
      Duration wait = clock.pendingDelays().get(0);
      waits.add(wait);
      clock.advance(wait);
    }

    assertThat(waits).containsExactly(ms(50), ms(100), ms(200), ms(400), ms(800), ms(1000),
        ms(1000));
    assertThat(done(f).networkRetries()).isEqualTo(7);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void jitterDrawsFromTheInjectedRandomSource() {
    OccUpdater updater = virtualTime(clock)
        .networkBackoff(RetryPolicy.builder().initialBackoff(ms(100)).jitter(Jitter.full()).build())
        .random(() -> 0.25)
        .build();
    store.nextWrites(loseRequest(), loseRequest());
    CompletableFuture<OccResult<Long>> f = increment(updater);

    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(25));
    clock.advance(ms(25));
    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));
    clock.advance(ms(50));

    assertThat(done(f).networkRetries()).isEqualTo(2);
  }

  @Test
  void overloadedStoreIsRetriedNoSoonerThanItsRetryAfter() {
    store.nextWrites(failWith(OverloadedException.withRetryAfter("busy", ms(300))));
    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(300));
    clock.advance(ms(300));

    assertThat(done(f).networkRetries()).isEqualTo(1);
  }

  @Test
  void exhaustedNetworkRetriesFailWithTheLastFailure() {
    TransportException first = lost("first");
    TransportException second = lost("second");
    TransportException third = lost("third");
    store.nextWrites(failWith(first), failWith(second), failWith(third));
    CompletableFuture<OccResult<Long>> f = increment(updater(2));

    clock.advance(ms(50 + 100));

    assertThat(failure(f)).isSameAs(third);
    assertThat(store.writes()).hasSize(3);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void zeroNetworkRetriesFailOnTheFirstNetworkFailure() {
    TransportException lost = lost("lost");
    store.nextReads(failWith(lost));

    CompletableFuture<OccResult<Long>> f = increment(updater(0));

    assertThat(failure(f)).isSameAs(lost);
    assertThat(store.calls()).hasSize(1);
  }

  @Test
  void retryCountAndBackoffStartOverWhenTheStoreAnswers() {
    // maxNetworkRetries 1: two failures in a row would fail, two separated by an answer do not.
    store.apply("k", n -> 5L, "setup");
    store.nextWrites(loseRequest(), after(otherClientIncrements(store, "k"), pass()),
        loseRequest());
    CompletableFuture<OccResult<Long>> f = increment(updater(1));

    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));
    clock.advance(ms(50)); // retry -> conflict -> re-read -> write lost again
    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));
    clock.advance(ms(50));

    OccResult<Long> r = done(f);
    assertThat(r.networkRetries()).isEqualTo(2);
    assertThat(r.conflicts()).isEqualTo(1);
    assertThat(store.get("k").value()).isEqualTo(7L);
  }

  @Test
  void otherExceptionsOfAStoreAdapterCountAsNetworkFailures() {
    store.nextReads(failWith(new UncheckedIOException(new IOException("reset"))));
    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    clock.advance(ms(50));

    assertThat(done(f).networkRetries()).isEqualTo(1);
  }

  @Test
  void nonOccApplicationErrorFailsAtOnce() {
    ApplicationException quota = new ApplicationException(42, "quota exceeded");
    store.nextWrites(failWith(quota));

    OccUpdate<Long> u = updater(10).start(store, "k", INCREMENT, inSeconds(60, clock));

    assertThat(failure(u.result())).isSameAs(quota);
    assertThat(u.mayHaveApplied()).as("the store answered: nothing applied").isFalse();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void keelFailureThatIsNeverRetriedFailsAtOnce() {
    InvalidParamsException invalid = new InvalidParamsException("bad key", null);
    store.nextReads(failWith(invalid));

    CompletableFuture<OccResult<Long>> f = increment(updater(10));

    assertThat(failure(f)).isSameAs(invalid);
    assertThat(store.calls()).hasSize(1);
  }

  @Test
  void programmingErrorOfTheStoreFailsAtOnce() {
    IllegalStateException bug = new IllegalStateException("store not started");
    store.nextReads(failWith(bug));

    assertThat(failure(increment(updater(10)))).isSameAs(bug);
    assertThat(store.calls()).hasSize(1);
  }

  @Test
  void computeThatThrowsFailsTheUpdateWithoutWriting() {
    IllegalStateException boom = new IllegalStateException("boom");

    CompletableFuture<OccResult<Long>> f = updater(10).update(store, "k", n -> {
      throw boom;
    }, inSeconds(60, clock));

    assertThat(failure(f)).isSameAs(boom);
    assertThat(store.writes()).isEmpty();
  }

  @Test
  void computeThatReturnsNullFailsTheUpdateWithoutWriting() {
    CompletableFuture<OccResult<Long>> f =
        updater(10).update(store, "k", n -> null, inSeconds(60, clock));

    assertThat(failure(f)).isInstanceOf(NullPointerException.class)
        .hasMessage("compute returned null for key 'k'");
    assertThat(store.writes()).isEmpty();
  }
}

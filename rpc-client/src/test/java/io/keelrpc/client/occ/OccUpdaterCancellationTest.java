package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.inSeconds;
import static io.keelrpc.client.occ.OccFixtures.ms;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.heldUntil;
import static io.keelrpc.client.occ.ScriptedStore.loseRequest;
import static io.keelrpc.client.occ.ScriptedStore.loseResponse;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Cancelling the result future stops the update at its next step: no further store calls, no
 * timers left; {@link OccUpdate#mayHaveApplied()} says whether a write of it may have landed.
 */
class OccUpdaterCancellationTest {
  private final FakeClock clock = new FakeClock();
  private final OccUpdater updater = virtualTime(clock).build();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  private OccUpdate<Long> startIncrement() {
    return updater.start(store, "k", INCREMENT, inSeconds(60, clock));
  }

  @Test
  void cancellingDuringABackoffIssuesNoFurtherCalls() {
    store.nextWrites(loseRequest());
    OccUpdate<Long> u = startIncrement();
    assertThat(clock.pendingDelays().get(0)).isEqualTo(ms(50));

    assertThat(u.result().cancel(false)).isTrue();

    assertThat(clock.pendingTasks()).as("backoff and deadline timers cancelled").isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(store.calls()).hasSize(2);
    assertThat(u.result()).isCancelled();
    assertThat(u.mayHaveApplied()).as("the lost write's fate is unknown to the client").isTrue();
  }

  @Test
  void cancellingAfterALostAnswerReportsTheWriteThatDidLand() {
    store.nextWrites(loseResponse());
    OccUpdate<Long> u = startIncrement();

    u.result().cancel(false);

    assertThat(store.get("k").value()).isEqualTo(1L);
    assertThat(u.mayHaveApplied()).isTrue();
  }

  @Test
  void cancellingWhileAWriteIsInFlightIgnoresItsAnswer() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    store.apply("k", n -> 5L, "setup");
    store.nextWrites(heldUntil(gate));
    OccUpdate<Long> u = startIncrement();

    u.result().cancel(false);
    assertThat(u.mayHaveApplied()).isTrue();
    gate.complete(null); // the write lands after all

    assertThat(store.get("k").value()).isEqualTo(6L);
    assertThat(u.result()).isCancelled();
    assertThat(store.calls()).hasSize(2);
  }

  @Test
  void cancellingWhileAReadIsInFlightIssuesNoWrite() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    store.nextReads(heldUntil(gate));
    OccUpdate<Long> u = startIncrement();

    u.result().cancel(false);
    gate.complete(null);

    assertThat(store.writes()).isEmpty();
    assertThat(u.mayHaveApplied()).isFalse();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void updateInProgressReportsAnUnansweredWrite() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    store.nextWrites(heldUntil(gate));
    OccUpdate<Long> u = startIncrement();

    assertThat(u.mayHaveApplied()).isTrue();
    gate.complete(null);

    assertThat(u.result()).isCompleted();
    assertThat(u.mayHaveApplied()).isTrue();
  }
}

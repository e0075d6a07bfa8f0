package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.failure;
import static io.keelrpc.client.occ.OccFixtures.ms;
import static io.keelrpc.client.occ.OccFixtures.otherClientIncrements;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.after;
import static io.keelrpc.client.occ.ScriptedStore.failWith;
import static io.keelrpc.client.occ.ScriptedStore.heldUntil;
import static io.keelrpc.client.occ.ScriptedStore.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The deadline bounds everything: conflicts, network retries, waits and slow store calls. */
class OccUpdaterDeadlineTest {
  private final FakeClock clock = new FakeClock();
  private final OccUpdater updater = virtualTime(clock).build();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  @Test
  void expiredDeadlineFailsWithoutCallingTheStore() {
    Deadline past = Deadline.after(Duration.ZERO, clock);

    CompletableFuture<OccResult<Long>> f = updater.update(store, "k", INCREMENT, past);

    assertThat(failure(f)).isInstanceOf(DeadlineExceededException.class);
    assertThat(store.calls()).isEmpty();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void timeoutOverloadMeasuresTheDeadlineOnTheUpdatersTicker() {
    CompletableFuture<OccResult<Long>> f = updater.update(store, "k", INCREMENT, ms(300));
    assertThat(f).isDone(); // the store answers at once

    store.nextReads(heldUntil(new CompletableFuture<>()));
    CompletableFuture<OccResult<Long>> slow = updater.update(store, "k", INCREMENT, ms(300));
    clock.advance(ms(299));
    assertThat(slow).isNotDone();
    clock.advance(ms(1));

    assertThat(failure(slow)).isInstanceOf(DeadlineExceededException.class);
  }

  @Test
  void backoffThatWouldEndPastTheDeadlineFailsAtOnceWithTheNetworkFailureAsCause() {
    TransportException first = new TransportException("first", true, null);
    TransportException second = new TransportException("second", true, null);
    store.nextWrites(failWith(first), failWith(second));
    CompletableFuture<OccResult<Long>> f =
        updater.update(store, "k", INCREMENT, Deadline.after(ms(120), clock));

    clock.advance(ms(50)); // the first wait (50 ms) fits; the second (100 ms) would end at 150 ms

    Throwable e = failure(f);
    assertThat(e).isInstanceOf(DeadlineExceededException.class).hasCause(second);
    assertThat(e.getCause()).isSameAs(second);
    assertThat(store.writes()).hasSize(2);
    assertThat(clock.pendingTasks()).as("no wait is left scheduled").isZero();
  }

  @Test
  void storeCallThatOutlivesTheDeadlineFailsTheUpdateAndItsLateAnswerIsIgnored() {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    store.nextReads(heldUntil(gate));
    OccUpdate<Long> u =
        updater.start(store, "k", INCREMENT, Deadline.after(Duration.ofSeconds(1), clock));

    clock.advance(ms(999));
    assertThat(u.result()).isNotDone();
    clock.advance(ms(1));
    assertThat(failure(u.result())).isInstanceOf(DeadlineExceededException.class);

    gate.complete(null); // the read answers now
    assertThat(store.calls()).hasSize(1);
    assertThat(u.mayHaveApplied()).isFalse();
  }

  @Test
  void unlimitedConflictsStopAtTheDeadline() {
    store.apply("k", n -> 0L, "setup");
    store.latency(clock, ms(100)); // each read and write takes 100 ms
    for (int i = 0; i < 1_000; i++) {
      store.nextWrites(after(otherClientIncrements(store, "k"), (call, proceed) -> {
        CompletableFuture<Long> later = new CompletableFuture<>();
        clock.schedule(() -> proceed.get().whenComplete((v, t) -> later.completeExceptionally(t)),
            ms(100).toNanos());
        return later;
      }));
    }
    CompletableFuture<OccResult<Long>> f =
        updater.update(store, "k", INCREMENT, Deadline.after(Duration.ofSeconds(1), clock));

    clock.advance(Duration.ofSeconds(1));

    Throwable e = failure(f);
    assertThat(e).isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("after 4 conflict(s)"); // the 5th answer is due with the deadline
    assertThat(e.getCause()).isInstanceOf(VersionMismatchException.class);
    int calls = store.calls().size();
    clock.advance(Duration.ofSeconds(10));
    assertThat(store.calls()).as("no call after the deadline").hasSize(calls);
  }

  @Test
  void noTimerIsLeftAfterSuccess() {
    store.nextWrites(after(otherClientIncrements(store, "k"), pass()));

    updater.update(store, "k", INCREMENT, Deadline.after(Duration.ofSeconds(1), clock));

    assertThat(clock.pendingTasks()).isZero();
  }
}

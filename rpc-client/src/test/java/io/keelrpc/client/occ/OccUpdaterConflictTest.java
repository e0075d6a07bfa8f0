package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.done;
import static io.keelrpc.client.occ.OccFixtures.inSeconds;
import static io.keelrpc.client.occ.OccFixtures.otherClientIncrements;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.after;
import static io.keelrpc.client.occ.ScriptedStore.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.keelrpc.client.occ.ScriptedStore.Call;
import io.keelrpc.core.time.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VERSION_MISMATCH is coordination, not failure: re-read, recompute, write again, no limit. */
class OccUpdaterConflictTest {
  private final FakeClock clock = new FakeClock();
  private final OccUpdater updater = virtualTime(clock).maxNetworkRetries(0).build();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  @Test
  void updateWithoutContentionReadsOnceAndWritesOnce() {
    store.apply("k", n -> 41L, "setup");

    OccResult<Long> r = done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(store.calls()).containsExactly(
        new Call("read", "k", null, 0, null),
        new Call("write", "k", 42L, 1, "w1"));
    assertThat(r).isEqualTo(new OccResult<>(new Versioned<>(42L, 2, "w1"), 0, 0, 0, false));
    assertThat(clock.pendingTasks()).as("the deadline timer is cancelled").isZero();
  }

  @Test
  void conflictReReadsRecomputesFromTheNewValueAndWritesWithTheNewVersion() {
    store.apply("k", n -> 10L, "setup");
    store.nextWrites(after(otherClientIncrements(store, "k"), pass()));
    List<Long> seen = new ArrayList<>();

    OccResult<Long> r = done(updater.update(store, "k", n -> {
      seen.add(n);
      return n + 1;
    }, inSeconds(5, clock)));

    assertThat(seen).containsExactly(10L, 11L);
    assertThat(store.writes()).extracting(Call::value, Call::expectedVersion)
        .containsExactly(tuple(11L, 1L),
            tuple(12L, 2L));
    assertThat(r.written()).isEqualTo(new Versioned<>(12L, 3, "w1"));
    assertThat(r.conflicts()).isEqualTo(1);
    assertThat(store.get("k").value()).isEqualTo(12L);
  }

  @Test
  void everyAttemptOfOneUpdateCarriesTheSameWriterIdAndTheNextUpdateANewOne() {
    store.nextWrites(after(otherClientIncrements(store, "k"), pass()),
        after(otherClientIncrements(store, "k"), pass()));

    done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));
    done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(store.writes()).extracting(Call::writerId).containsExactly("w1", "w1", "w1", "w2");
  }

  @Test
  void conflictsAreRetriedWithoutLimitAndWithoutWaiting() {
    int conflicts = 5_000; // far past maxNetworkRetries (0 here): conflicts are not network faults
    store.apply("k", n -> 0L, "setup");
    for (int i = 0; i < conflicts; i++) {
      store.nextWrites(after(otherClientIncrements(store, "k"), pass()));
    }

    OccResult<Long> r = done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(r.conflicts()).isEqualTo(conflicts);
    assertThat(r.networkRetries()).isZero();
    assertThat(store.get("k").value()).isEqualTo(conflicts + 1L);
    assertThat(store.writes()).hasSize(conflicts + 1);
  }
}

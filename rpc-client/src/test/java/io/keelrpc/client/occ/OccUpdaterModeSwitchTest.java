package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.done;
import static io.keelrpc.client.occ.OccFixtures.inSeconds;
import static io.keelrpc.client.occ.OccFixtures.otherClientIncrements;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.after;
import static io.keelrpc.client.occ.ScriptedStore.failWith;
import static io.keelrpc.client.occ.ScriptedStore.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.keelrpc.client.occ.ScriptedStore.Call;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.OccErrors;
import io.keelrpc.core.time.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Create (expected version 0) and update (expected version > 0) switch into each other. */
class OccUpdaterModeSwitchTest {
  private final FakeClock clock = new FakeClock();
  private final OccUpdater updater = virtualTime(clock).build();
  private final ScriptedStore<Long> store = new ScriptedStore<>();

  @Test
  void absentKeyIsCreatedWithExpectedVersionZeroFromANullValue() {
    List<Long> seen = new ArrayList<>();

    OccResult<Long> r = done(updater.update(store, "k", n -> {
      seen.add(n);
      return INCREMENT.apply(n);
    }, inSeconds(5, clock)));

    assertThat(seen).containsOnlyNulls().hasSize(1);
    assertThat(store.writes()).extracting(Call::value, Call::expectedVersion)
        .containsExactly(tuple(1L, 0L));
    assertThat(r.written()).isEqualTo(new Versioned<>(1L, 1, "w1"));
    assertThat(r.modeSwitches()).isZero();
  }

  @Test
  void keyExistsDuringCreateSwitchesToUpdateOfTheValueThatWasCreated() {
    // Another client creates the key between our read (absent) and our create.
    store.nextWrites(after(otherClientIncrements(store, "k"), pass()));

    OccResult<Long> r = done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(store.calls()).extracting(Call::op, Call::expectedVersion).containsExactly(
        tuple("read", 0L), tuple("write", 0L), tuple("read", 0L), tuple("write", 1L));
    assertThat(r.written()).isEqualTo(new Versioned<>(2L, 2, "w1"));
    assertThat(r.modeSwitches()).isEqualTo(1);
    assertThat(r.conflicts()).isZero();
  }

  @Test
  void keyNotFoundDuringUpdateSwitchesToCreateFromANullValue() {
    store.apply("k", n -> 7L, "setup");
    store.nextWrites(after(() -> store.delete("k"), pass()));
    List<Long> seen = new ArrayList<>();

    OccResult<Long> r = done(updater.update(store, "k", n -> {
      seen.add(n);
      return INCREMENT.apply(n);
    }, inSeconds(5, clock)));

    // KEY_NOT_FOUND says the key is absent: create at once, no re-read needed.
    assertThat(seen).containsExactly(7L, null);
    assertThat(store.calls()).extracting(Call::op, Call::value, Call::expectedVersion)
        .containsExactly(tuple("read", null, 0L), tuple("write", 8L, 1L), tuple("write", 1L, 0L));
    assertThat(r.written()).isEqualTo(new Versioned<>(1L, 1, "w1"));
    assertThat(r.modeSwitches()).isEqualTo(1);
  }

  @Test
  void untypedKeyExistsAnswerIsTypedAndSwitchesModeToo() {
    // A store adapter may pass the wire's ApplicationException through untyped.
    ApplicationException wire = new ApplicationException(OccErrors.KEY_EXISTS, "exists",
        new KeyExistsException("k", 1).data());
    store.nextWrites(after(otherClientIncrements(store, "k"), failWith(wire)));

    OccResult<Long> r = done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(r.written()).isEqualTo(new Versioned<>(2L, 2, "w1"));
    assertThat(r.modeSwitches()).isEqualTo(1);
  }

  @Test
  void readFailingWithKeyNotFoundCountsAsAbsent() {
    store.nextReads(failWith(new KeyNotFoundException("k")));

    OccResult<Long> r = done(updater.update(store, "k", INCREMENT, inSeconds(5, clock)));

    assertThat(r.written()).isEqualTo(new Versioned<>(1L, 1, "w1"));
    assertThat(r.networkRetries()).isZero();
  }
}

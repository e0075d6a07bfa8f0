package io.keelrpc.client.occ;

import static io.keelrpc.client.occ.OccFixtures.INCREMENT;
import static io.keelrpc.client.occ.OccFixtures.done;
import static io.keelrpc.client.occ.OccFixtures.inSeconds;
import static io.keelrpc.client.occ.OccFixtures.ms;
import static io.keelrpc.client.occ.OccFixtures.otherClientIncrements;
import static io.keelrpc.client.occ.OccFixtures.virtualTime;
import static io.keelrpc.client.occ.ScriptedStore.after;
import static io.keelrpc.client.occ.ScriptedStore.loseRequest;
import static io.keelrpc.client.occ.ScriptedStore.loseResponse;
import static io.keelrpc.client.occ.ScriptedStore.pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Recovery detection: when does a VERSION_MISMATCH on a retried write mean "my earlier attempt
 * was applied"? Each interleaving is run twice on identically scripted stores: once by the seed's
 * client loop ({@link SeedRuleClient}) with a flawed rule against the store that rule was made for,
 * once by the engine against a store that follows the contract (writer ids remembered, applied
 * version reported) — and the counter is compared with the number of acknowledged increments.
 *
 * <p>The counter starts at 5 (version 1). In every interleaving two increments are acknowledged:
 * another client's, and ours. The right final value is therefore 7.
 */
class OccUpdaterRecoveryRuleTest {
  private static final String KEY = "k";
  private static final String ME = "w1"; // the first writer id the fixture updater hands out

  private final FakeClock clock = new FakeClock();
  private final OccUpdater updater = virtualTime(clock).build();

  private static ScriptedStore<Long> counterAtFive(ScriptedStore<Long> store) {
    store.apply(KEY, n -> 5L, "setup");
    return store;
  }

  /**
   * My write is lost before the store sees it; another client then increments; my retry of the
   * same write finds version 2 where it expected 1.
   */
  private static ScriptedStore<Long> lostRequestThenAnotherWrite(ScriptedStore<Long> store) {
    return counterAtFive(store).nextWrites(loseRequest(),
        after(otherClientIncrements(store, KEY), pass()));
  }

  /**
   * My write is applied (6, version 2) but its answer is lost; another client then increments
   * (7, version 3); my retry of the same write finds version 3 where it expected 1.
   */
  private static ScriptedStore<Long> appliedThenAnotherWrite(ScriptedStore<Long> store) {
    return counterAtFive(store).nextWrites(loseResponse(),
        after(otherClientIncrements(store, KEY), pass()));
  }

  @Test
  void seedRuleLosesMyIncrementWhenMyLostRequestIsFollowedByAnotherClientsWrite() {
    ScriptedStore<Long> store = lostRequestThenAnotherWrite(ScriptedStore.withoutWriterIds());

    SeedRuleClient.increment(store, KEY, ME, SeedRuleClient.SEED_RULE); // "acknowledged"

    // The retry saw actual 2 != expected 1 and declared success; my increment never happened.
    assertThat(store.writes()).hasSize(2);
    assertThat(store.get(KEY).value()).isEqualTo(6L);
  }

  @Test
  void engineReReadsAndAppliesMyIncrementWhenMyLostRequestIsFollowedByAnotherClientsWrite() {
    ScriptedStore<Long> store = lostRequestThenAnotherWrite(new ScriptedStore<>());

    CompletableFuture<OccResult<Long>> f =
        updater.update(store, KEY, INCREMENT, inSeconds(5, clock));
    clock.advance(ms(50)); // the backoff before the retry of the lost write
    OccResult<Long> r = done(f);

    // The retry's mismatch names another writer and no applied version: a conflict, not success.
    assertThat(store.get(KEY).value()).isEqualTo(7L);
    assertThat(r.written()).isEqualTo(new Versioned<>(7L, 3, ME));
    assertThat(r.conflicts()).isEqualTo(1);
    assertThat(r.networkRetries()).isEqualTo(1);
    assertThat(r.ambiguousWriteRecovered()).isFalse();
  }

  @Test
  void lastWriterRuleAppliesMyIncrementTwiceWhenAnotherClientWroteAfterMyAppliedWrite() {
    ScriptedStore<Long> store = appliedThenAnotherWrite(ScriptedStore.lastWriterOnly());

    SeedRuleClient.increment(store, KEY, ME, SeedRuleClient.LAST_WRITER_RULE);

    // The mismatch names the other client as last writer, so the rule re-read and incremented
    // again on top of its own, already applied increment.
    assertThat(store.writes()).hasSize(3);
    assertThat(store.writes().get(2).expectedVersion()).isEqualTo(3L);
    assertThat(store.get(KEY).value()).isEqualTo(8L);
  }

  @Test
  void engineRecognisesMyAppliedWriteWhenAnotherClientWroteAfterIt() {
    ScriptedStore<Long> store = appliedThenAnotherWrite(new ScriptedStore<>());

    CompletableFuture<OccResult<Long>> f =
        updater.update(store, KEY, INCREMENT, inSeconds(5, clock));
    clock.advance(ms(50));
    OccResult<Long> r = done(f);

    // The store remembers that w1 produced version 2: the update is complete, not applied again.
    assertThat(store.writes()).hasSize(2);
    assertThat(store.get(KEY).value()).isEqualTo(7L);
    assertThat(r.written()).isEqualTo(new Versioned<>(6L, 2, ME));
    assertThat(r.ambiguousWriteRecovered()).isTrue();
    assertThat(r.conflicts()).isZero();
  }

  @Test
  void seedClientOnTheSeedsStoreAppliesACreateTwiceWhenItsAnswerIsLost() {
    ScriptedStore<Long> store = ScriptedStore.<Long>withoutWriterIds().nextWrites(loseResponse());

    SeedRuleClient.increment(store, KEY, ME, SeedRuleClient.SEED_RULE);

    // The retried create met KEY_EXISTS, which the seed's rule never looks at: switch to update,
    // re-read the counter its own create made, and increment it again.
    assertThat(store.writes()).extracting(ScriptedStore.Call::expectedVersion)
        .containsExactly(0L, 0L, 1L);
    assertThat(store.get(KEY).value()).isEqualTo(2L);
  }

  @Test
  void engineRecognisesItsAppliedCreateWhenItsAnswerIsLost() {
    ScriptedStore<Long> store = new ScriptedStore<Long>().nextWrites(loseResponse());

    CompletableFuture<OccResult<Long>> f =
        updater.update(store, KEY, INCREMENT, inSeconds(5, clock));
    clock.advance(ms(50));
    OccResult<Long> r = done(f);

    // The writer-id rule comes before KEY_EXISTS: the retried create learns it was applied.
    assertThat(store.writes()).extracting(ScriptedStore.Call::expectedVersion)
        .containsExactly(0L, 0L);
    assertThat(store.get(KEY).value()).isEqualTo(1L);
    assertThat(r.written()).isEqualTo(new Versioned<>(1L, 1, ME));
    assertThat(r.ambiguousWriteRecovered()).isTrue();
    assertThat(r.modeSwitches()).isZero();
  }
}

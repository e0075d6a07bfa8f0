package io.keelrpc.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegisterLinearizabilitySearchTest {
  private static boolean linearizable(HistoryOps h) {
    RegisterLinearizability.Result r = RegisterLinearizability.check(h.list());
    assertThat(r.inconclusive()).isFalse();
    return r.linearizable();
  }

  @Test
  void sequentialPutThenReadIsLinearizable() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 1, 1)
        .get("r", 2, 3, 1, "a"))).isTrue();
  }

  @Test
  void readOfTheOldVersionAfterAnAcknowledgedPutIsNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 1, 1)
        .get("r", 2, 3, 0, null))).isFalse();
  }

  @Test
  void readWithTheRightVersionButAnotherValueIsNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 1, 1)
        .get("r", 2, 3, 1, "b"))).isFalse();
  }

  @Test
  void readConcurrentWithAPutMaySeeEitherSide() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 10, 1)
        .get("r1", 1, 2, 0, null)
        .get("r2", 3, 4, 1, "a"))).isTrue();
  }

  @Test
  void readsThatSeeTheRegisterGoBackAreNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 10, 1)
        .get("r1", 1, 2, 1, "a")
        .get("r2", 3, 4, 0, null))).isFalse();
  }

  @Test
  void twoPutsAcknowledgedAtTheSameVersionAreNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 10, 1)
        .putOk("w2", 0, "b", 0, 10, 1))).isFalse();
  }

  @Test
  void theSearchBacktracksToFindTheOnlyOrder() {
    // Listed so that the first try (w2's put first) fails: only w1, read, w2 works.
    assertThat(linearizable(new HistoryOps()
        .putOk("w2", 1, "b", 0, 10, 2)
        .get("r", 0, 10, 1, "a")
        .putOk("w1", 0, "a", 0, 10, 1))).isTrue();
  }

  @Test
  void anUnknownPutMayHaveTakenEffect() {
    assertThat(linearizable(new HistoryOps()
        .putUnknown("w1", 0, "a", 0)
        .get("r", 5, 6, 1, "a"))).isTrue();
  }

  @Test
  void anUnknownPutMayHaveBeenLost() {
    assertThat(linearizable(new HistoryOps()
        .putUnknown("w1", 0, "a", 0)
        .get("r", 5, 6, 0, null)
        .putOk("w2", 0, "b", 7, 8, 1))).isTrue();
  }

  @Test
  void aReadOfAValueNobodyWroteIsNotExplainedByAnUnknownPut() {
    assertThat(linearizable(new HistoryOps()
        .putUnknown("w1", 0, "a", 0)
        .get("r", 5, 6, 1, "zzz"))).isFalse();
  }

  @Test
  void anUnknownPutCannotTakeEffectBeforeItWasInvoked() {
    assertThat(linearizable(new HistoryOps()
        .get("r", 0, 1, 1, "a")
        .putUnknown("w1", 0, "a", 2))).isFalse();
  }

  @Test
  void aRetryAnsweredFromTheCacheIsTheSameWrite() {
    assertThat(linearizable(new HistoryOps()
        .putUnknown("w1", 0, "a", 0)
        .putOk("w1", 0, "a", 5, 6, 1)
        .get("r", 7, 8, 1, "a"))).isTrue();
  }

  @Test
  void aRetryAppliedAgainAtANewVersionIsNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "1", 0, 1, 1)
        .putOk("w1", 1, "2", 2, 3, 2))).isFalse();
  }

  @Test
  void aRefusalNamingTheWritersAppliedVersionNeedsThatWrite() {
    assertThat(linearizable(new HistoryOps()
        .putUnknown("w1", 0, "a", 0)
        .putRefused("w1", 0, 5, 6, 1, 1L))).isTrue();
    assertThat(linearizable(new HistoryOps()
        .putRefused("w1", 0, 5, 6, 0, 1L)
        .get("r", 7, 8, 0, null))).isFalse();
  }

  @Test
  void aConflictMustBeRefusedAndAMatchingPutMustNot() {
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 1, 1)
        .putRefused("w2", 0, 2, 3, 1, null))).isTrue();
    assertThat(linearizable(new HistoryOps()
        .putOk("w1", 0, "a", 0, 1, 1)
        .putRefused("w2", 1, 2, 3, 1, null))).isFalse();
  }
}

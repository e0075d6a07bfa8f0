package io.keelrpc.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.chaos.History.Status;
import io.keelrpc.examples.chaos.HistoryChecker.Final;
import io.keelrpc.examples.chaos.HistoryChecker.Verdict;
import io.keelrpc.examples.chaos.HistoryChecker.Violation;
import io.keelrpc.core.time.Ticker;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryCheckerInvariantTest {
  /** Two increments by w1 and w2 (w2 retried after a lost answer), read back as 2. */
  private static HistoryOps twoIncrements() {
    return new HistoryOps()
        .get("w1", 0, 1, 0, null)
        .putOk("w1", 0, "1", 2, 3, 1)
        .increment("w1", Status.OK, 1)
        .get("w2", 4, 5, 1, "1")
        .putUnknown("w2", 1, "2", 6)
        .putRefused("w2", 1, 8, 9, 2, 2L)
        .increment("w2", Status.OK, 2)
        .get("final", 10, 11, 2, "2");
  }

  private static Verdict check(HistoryOps h, Final fin, Map<String, Boolean> settled) {
    return HistoryChecker.check(h.list(), Map.of("k", fin), settled);
  }

  @Test
  void aCorrectHistoryHasNoViolations() {
    Verdict v = check(twoIncrements(), new Final("2", 2), Map.of());

    assertThat(v.violations()).isEmpty();
    assertThat(v.ok()).isTrue();
    assertThat(v.keys()).isEqualTo(1);
  }

  @Test
  void aLostAcknowledgedWriteIsFound() {
    Verdict v = check(twoIncrements(), new Final("1", 1), Map.of());

    assertThat(v.violations()).extracting(Violation::kind).contains("lost-write", "counter");
  }

  @Test
  void aWriterAppliedTwiceIsFound() {
    HistoryOps h = new HistoryOps()
        .putOk("w1", 0, "1", 0, 1, 1)
        .putOk("w1", 1, "2", 2, 3, 2)
        .increment("w1", Status.OK, 2);

    Verdict v = check(h, new Final("2", 2), Map.of());

    assertThat(v.violations()).extracting(Violation::kind)
        .contains("double-apply", "counter", "not-linearizable");
  }

  @Test
  void aCounterAboveItsAcknowledgedIncrementsIsFoundUnlessSettledApplied() {
    HistoryOps h = twoIncrements()
        .putUnknown("w3", 2, "3", 12)
        .increment("w3", Status.UNKNOWN, -1);

    assertThat(check(h, new Final("3", 3), Map.of("w3", false)).violations())
        .extracting(Violation::kind).containsExactly("counter");
    assertThat(check(h, new Final("3", 3), Map.of("w3", true)).violations()).isEmpty();
    assertThat(check(h, new Final("3", 3), Map.of()).violations())
        .extracting(Violation::kind).contains("unsettled");
  }

  @Test
  void aValueThatIsNotItsVersionIsFound() {
    HistoryOps h = new HistoryOps()
        .putOk("w1", 0, "5", 0, 1, 1)
        .increment("w1", Status.OK, 1);

    assertThat(check(h, new Final("5", 1), Map.of()).violations())
        .extracting(Violation::kind).containsExactly("counter");
  }

  @Test
  void theRecorderTimesOperationsWithItsTicker() {
    AtomicLong now = new AtomicLong(100);
    History history = new History((Ticker) now::get);
    History.Call put = history.invoke("c1", History.Kind.PUT, "k", 0, "1", "c1-1");
    History.Call get = history.invoke("c2", History.Kind.GET, "k", -1, null, null);
    now.set(250);
    put.ok(1, null);
    get.unknown();

    assertThat(history.ops()).satisfiesExactly(
        p -> {
          assertThat(p.invokedNanos()).isEqualTo(100);
          assertThat(p.completedNanos()).isEqualTo(250);
          assertThat(p.status()).isEqualTo(Status.OK);
          assertThat(p.value()).isEqualTo("1");
          assertThat(p.version()).isEqualTo(1);
        },
        g -> {
          assertThat(g.status()).isEqualTo(Status.UNKNOWN);
          assertThat(g.completedNanos()).isEqualTo(Long.MAX_VALUE);
        });
  }
}

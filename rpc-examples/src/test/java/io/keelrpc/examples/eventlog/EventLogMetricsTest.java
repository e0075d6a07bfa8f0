package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.keelrpc.examples.eventlog.LogEntry.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coverage, ordering and retransmit efficiency on hand-made logs. */
class EventLogMetricsTest {
  private static final LoggerStats STATS =
      new LoggerStats(10, 6, 0, 0, 6, 4, 2, 1, 5, 0, 1);
  private static final RetransmitAudit AUDIT = new RetransmitAudit(3, 1, 1, 1);

  private static LogEntry entry(int seq, Status status) {
    return new LogEntry(seq, 1_000_000L + seq, "00", status);
  }

  @Test
  void smallLogByHand() {
    // generated 0..5; logged 0 2 1 4 3, then 0 again; 5 never
    List<LogEntry> log = List.of(entry(0, Status.OK), entry(2, Status.OK),
        entry(1, Status.LATE), entry(4, Status.RETRANSMIT), entry(3, Status.LATE),
        entry(0, Status.OK));

    EventLogMetrics m = EventLogMetrics.of(log, 6, STATS, AUDIT);

    assertThat(m.logged()).isEqualTo(5);
    assertThat(m.duplicateLines()).isEqualTo(1);
    assertThat(m.coverage()).isCloseTo(5.0 / 6, within(1e-12));
    // (1, 2) and (3, 4) are inverted, of C(5, 2) = 10 pairs
    assertThat(m.invertedPairs()).isEqualTo(2);
    assertThat(m.ordering()).isCloseTo(0.8, within(1e-12));
    assertThat(m.okLines()).isEqualTo(3);
    assertThat(m.lateLines()).isEqualTo(2);
    assertThat(m.retransmitLines()).isEqualTo(1);
    assertThat(m.retransmitRequests()).isEqualTo(6);
    assertThat(m.retransmitsReceived()).isEqualTo(4);
    assertThat(m.retransmitEfficiency()).isCloseTo(0.5, within(1e-12)); // 3 needed of 6
  }

  @Test
  void reversedLogHasEveryPairInverted() {
    List<LogEntry> log = new ArrayList<>();
    for (int s = 9; s >= 0; s--) {
      log.add(entry(s, Status.OK));
    }

    EventLogMetrics m = EventLogMetrics.of(log, 10, STATS, AUDIT);

    assertThat(m.invertedPairs()).isEqualTo(45);
    assertThat(m.ordering()).isZero();
    assertThat(m.coverage()).isEqualTo(1.0);
  }

  @Test
  void sequencesOutsideTheGroundTruthAreIgnored() {
    List<LogEntry> log = List.of(entry(7, Status.OK), entry(0, Status.OK));

    EventLogMetrics m = EventLogMetrics.of(log, 2, STATS, AUDIT);

    assertThat(m.logged()).isEqualTo(1);
    assertThat(m.coverage()).isEqualTo(0.5);
    assertThat(m.invertedPairs()).isZero();
    assertThat(m.ordering()).isEqualTo(1.0);
  }

  @Test
  void emptyLogAndNoRequests() {
    EventLogMetrics m = EventLogMetrics.of(List.of(), 3, LoggerStats.ZERO,
        new RetransmitAudit(0, 0, 0, 0));

    assertThat(m.coverage()).isZero();
    assertThat(m.ordering()).isEqualTo(1.0);
    assertThat(m.retransmitEfficiency()).isEqualTo(1.0);
  }

  @Test
  void statsOfIncarnationsAddUpButGapsAreTheLatest() {
    LoggerStats sum = STATS.plus(new LoggerStats(1, 1, 1, 1, 1, 1, 1, 0, 1, 3, 1));

    assertThat(sum).isEqualTo(new LoggerStats(11, 7, 1, 1, 7, 5, 3, 0, 6, 3, 2));
  }
}

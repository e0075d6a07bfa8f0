package io.keelrpc.examples.eventlog;

import java.util.BitSet;
import java.util.List;

/**
 * The seed's evaluation of an event log against the ground truth (sequences
 * {@code 0..generated-1}), computed from the file alone, plus the retransmission efficiency.
 *
 * <ul>
 *   <li><b>coverage</b> {@code = |logged ∩ generated| / |generated|}.</li>
 *   <li><b>ordering</b> {@code = 1 - inversions / C(n, 2)}, where {@code n} is the number of
 *       logged sequences and {@code inversions} the pairs {@code i < j} with {@code j} before
 *       {@code i} in the log ({@link #invertedPairs()}; 1 when {@code n < 2}). A sequence
 *       logged twice counts at its first line; lines of sequences outside the ground truth are
 *       ignored.</li>
 *   <li><b>retransmit efficiency</b> {@code = needed / requests}
 *       ({@link RetransmitAudit#efficiency()}): the fraction of requests for a packet that only
 *       a retransmission could still bring (1 when nothing was requested). The seed only says
 *       that requests have a cost and that excessive requests show a poor strategy; premature
 *       requests (the packet was merely late), requests for lost packets and repeated requests
 *       are the excess. The logger's own {@code retransmitsReceived / retransmitRequests} is
 *       kept too, but it cannot tell a useful request from a premature one, whose answer also
 *       arrives.</li>
 * </ul>
 *
 * <pre>{@code
 * EventLogMetrics m = EventLogMetrics.of(EventLogFile.read(path).entries(), 1000, stats,
 *     source.audit());
 * }</pre>
 *
 * @param generated the number of generated sequences
 * @param logged distinct generated sequences in the log
 * @param duplicateLines lines of a sequence already logged above them (0 for a sound log)
 * @param coverage see above
 * @param invertedPairs see above
 * @param ordering see above
 * @param okLines lines with status OK
 * @param lateLines lines with status LATE
 * @param retransmitLines lines with status RETRANSMIT
 * @param retransmitRequests requests made (from the logger's statistics)
 * @param retransmitsReceived requested packets that arrived intact and were logged
 * @param audit the source's verdict on every request
 * @param retransmitEfficiency see above
 */
public record EventLogMetrics(int generated, int logged, int duplicateLines, double coverage,
    long invertedPairs, double ordering, int okLines, int lateLines, int retransmitLines,
    long retransmitRequests, long retransmitsReceived, RetransmitAudit audit,
    double retransmitEfficiency) {

  /**
   * The metrics of {@code entries} (in file order) against sequences {@code 0..generated-1}.
   *
   * @param stats the logger's statistics, for the retransmission counts
   * @param audit the source's audit of the requests, for the efficiency
   */
  public static EventLogMetrics of(List<LogEntry> entries, int generated, LoggerStats stats,
      RetransmitAudit audit) {
    if (generated < 1) {
      throw new IllegalArgumentException("generated: " + generated + " (expected: >= 1)");
    }
    BitSet seen = new BitSet(generated);
    long[] fenwick = new long[generated + 1];
    long inverted = 0;
    int logged = 0;
    int dups = 0;
    int ok = 0;
    int lateCount = 0;
    int retransmit = 0;
    for (LogEntry e : entries) {
      switch (e.status()) {
        case OK -> ok++;
        case LATE -> lateCount++;
        case RETRANSMIT -> retransmit++;
      }
      int s = e.sequence();
      if (s >= generated) {
        continue;
      }
      if (seen.get(s)) {
        dups++;
        continue;
      }
      seen.set(s);
      // earlier lines with a higher sequence: logged so far minus those at or below s
      inverted += logged - prefixCount(fenwick, s);
      for (int i = s + 1; i <= generated; i += i & -i) {
        fenwick[i]++;
      }
      logged++;
    }
    double pairs = (double) logged * (logged - 1) / 2;
    double ordering = logged < 2 ? 1.0 : 1.0 - inverted / pairs;
    return new EventLogMetrics(generated, logged, dups, (double) logged / generated, inverted,
        ordering, ok, lateCount, retransmit, stats.retransmitRequests(),
        stats.retransmitsReceived(), audit, audit.efficiency());
  }

  /** How many sequences {@code <= s} were added. */
  private static long prefixCount(long[] fenwick, int s) {
    long sum = 0;
    for (int i = s + 1; i > 0; i -= i & -i) {
      sum += fenwick[i];
    }
    return sum;
  }
}

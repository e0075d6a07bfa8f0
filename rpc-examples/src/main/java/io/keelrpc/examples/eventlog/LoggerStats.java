package io.keelrpc.examples.eventlog;

/**
 * The seed's {@code LoggerStats}, plus {@link #forcedFlushes()}: what one logger (or, summed
 * with {@link #plus}, a run across restarts) did.
 *
 * @param packetsReceived packets {@code receive} returned, duplicates and corrupted included
 * @param packetsWritten lines written to the log
 * @param duplicatesDiscarded valid packets dropped because their sequence was already logged or
 *     buffered
 * @param corruptedPackets packets whose checksum did not match
 * @param retransmitRequests calls of {@code requestRetransmit}
 * @param retransmitsReceived requested sequences that then arrived intact and were new: each was
 *     logged as {@code RETRANSMIT} (or {@code LATE}, if a higher sequence was already written)
 * @param inversions lines written with status {@code LATE}
 * @param gaps sequences {@code 0..totalPackets-1} missing from the log when the stats were
 *     taken (for a finished run: the final log)
 * @param bufferFlushes writes to the file (each a batch of one or more lines)
 * @param finalBufferSize packets in the buffer when the process was terminated: lost (a
 *     finished logger has written its buffer out, so 0 unless a termination is counted in)
 * @param forcedFlushes times the lowest missing sequence was given up (buffer full, or its
 *     retransmission overdue) so that the packets after it could be written
 */
public record LoggerStats(long packetsReceived, long packetsWritten, long duplicatesDiscarded,
    long corruptedPackets, long retransmitRequests, long retransmitsReceived, long inversions,
    long gaps, long bufferFlushes, long finalBufferSize, long forcedFlushes) {
  /** All zero. */
  public static final LoggerStats ZERO = new LoggerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * The counts of this run followed by {@code later}: every count summed, except {@code gaps},
   * which is {@code later}'s (it describes the log as it then is).
   */
  public LoggerStats plus(LoggerStats later) {
    return new LoggerStats(packetsReceived + later.packetsReceived,
        packetsWritten + later.packetsWritten,
        duplicatesDiscarded + later.duplicatesDiscarded,
        corruptedPackets + later.corruptedPackets,
        retransmitRequests + later.retransmitRequests,
        retransmitsReceived + later.retransmitsReceived,
        inversions + later.inversions,
        later.gaps,
        bufferFlushes + later.bufferFlushes,
        finalBufferSize + later.finalBufferSize,
        forcedFlushes + later.forcedFlushes);
  }
}

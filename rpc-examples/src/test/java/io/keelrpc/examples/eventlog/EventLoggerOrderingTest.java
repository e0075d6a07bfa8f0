package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logger's per-packet rules against a scripted source: order, duplicates, gaps. */
class EventLoggerOrderingTest {
  private static final Ticker NO_TIME = () -> 0L;

  @TempDir
  Path dir;

  private Path log() {
    return dir.resolve("events.log");
  }

  private EventLogger logger(ScriptedSource source, int buffer, int gapTimeout,
      int retransmitTimeout) throws IOException {
    return EventLogger.open(log(), source, LoggerConfig.builder().bufferSize(buffer)
        .gapTimeout(gapTimeout).retransmitTimeout(retransmitTimeout)
        .fsync(FsyncPolicy.never()).build(), NO_TIME);
  }

  /** The log as "seq STATUS" strings. */
  private List<String> lines() throws IOException {
    return EventLogFile.read(log()).entries().stream()
        .map(e -> e.sequence() + " " + e.status()).toList();
  }

  private static void steps(EventLogger logger, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertThat(logger.step()).as("step %d", i).isTrue();
    }
  }

  @Test
  void inOrderPacketsAreWrittenOnArrival() throws Exception {
    ScriptedSource source = new ScriptedSource(3).deliver(0, 1, 2);
    try (EventLogger logger = logger(source, 30, 12, 4)) {
      steps(logger, 2);
      assertThat(lines()).containsExactly("0 OK", "1 OK");
      LoggerStats stats = logger.run();
      assertThat(stats.packetsWritten()).isEqualTo(3);
      assertThat(stats.bufferFlushes()).isEqualTo(3);
      assertThat(stats.gaps()).isZero();
    }
    assertThat(lines()).containsExactly("0 OK", "1 OK", "2 OK");
    assertThat(EventLogFile.read(log()).entries().get(2).toLine())
        .isEqualTo("2,1.002000,7032,OK\n");
  }

  @Test
  void reorderingWithinTheBufferIsWrittenInOrder() throws Exception {
    ScriptedSource source = new ScriptedSource(5).deliver(1, 0, 3, 4, 2);
    try (EventLogger logger = logger(source, 4, 12, 4)) {
      steps(logger, 1);
      assertThat(lines()).isEmpty();
      assertThat(logger.buffered()).isEqualTo(1);
      steps(logger, 1);
      assertThat(lines()).containsExactly("0 OK", "1 OK");
      LoggerStats stats = logger.run();
      assertThat(stats.inversions()).isZero();
      assertThat(stats.forcedFlushes()).isZero();
      assertThat(source.requests()).isEmpty();
    }
    assertThat(lines()).containsExactly("0 OK", "1 OK", "2 OK", "3 OK", "4 OK");
  }

  @Test
  void duplicatesAreDiscarded() throws Exception {
    ScriptedSource source = new ScriptedSource(3).deliver(0, 0, 2, 1, 2, 1);
    try (EventLogger logger = logger(source, 4, 12, 4)) {
      LoggerStats stats = logger.run();
      assertThat(stats.duplicatesDiscarded()).isEqualTo(3);
      assertThat(stats.packetsReceived()).isEqualTo(6);
      assertThat(stats.packetsWritten()).isEqualTo(3);
    }
    assertThat(lines()).containsExactly("0 OK", "1 OK", "2 OK");
  }

  @Test
  void corruptedPacketIsRequestedAtOnceAndLoggedAsRetransmit() throws Exception {
    ScriptedSource source = new ScriptedSource(3).deliver(0).deliverCorrupted(1).deliver(2)
        .retransmittable(1);
    try (EventLogger logger = logger(source, 4, 12, 4)) {
      steps(logger, 2);
      assertThat(source.requests()).containsExactly(1);
      LoggerStats stats = logger.run();
      assertThat(stats.corruptedPackets()).isEqualTo(1);
      assertThat(stats.retransmitRequests()).isEqualTo(1);
      assertThat(stats.retransmitsReceived()).isEqualTo(1);
    }
    assertThat(lines()).containsExactly("0 OK", "1 RETRANSMIT", "2 OK");
  }

  @Test
  void fullBufferGivesUpTheGapAndTheStragglerIsLate() throws Exception {
    ScriptedSource source = new ScriptedSource(4).deliver(1, 2, 3, 0);
    try (EventLogger logger = logger(source, 2, 100, 4)) {
      steps(logger, 2);
      assertThat(lines()).isEmpty();
      steps(logger, 1); // a third held packet: more than the buffer's 2
      assertThat(lines()).containsExactly("1 OK", "2 OK", "3 OK");
      LoggerStats stats = logger.run();
      assertThat(stats.forcedFlushes()).isEqualTo(1);
      assertThat(stats.inversions()).isEqualTo(1);
    }
    assertThat(lines()).containsExactly("1 OK", "2 OK", "3 OK", "0 LATE");
  }

  @Test
  void gapIsRequestedOnceItOutlivesTheGapTimeout() throws Exception {
    ScriptedSource source = new ScriptedSource(6).deliver(1, 2, 3, 4, 5).retransmittable(0);
    try (EventLogger logger = logger(source, 30, 3, 4)) {
      steps(logger, 3); // the gap at 0 was noticed at packet 1; now is packet 3
      assertThat(source.requests()).isEmpty();
      steps(logger, 1);
      assertThat(source.requests()).containsExactly(0);
      steps(logger, 1); // the source answers before its next delivery
      assertThat(lines()).containsExactly("0 RETRANSMIT", "1 OK", "2 OK", "3 OK", "4 OK");
      logger.run();
    }
    assertThat(source.requests()).containsExactly(0);
  }

  @Test
  void overdueRequestStopsHoldingTheBufferBack() throws Exception {
    // 0 is lost: its request goes unanswered
    ScriptedSource source = new ScriptedSource(7).deliver(1, 2, 3, 4, 5, 6);
    try (EventLogger logger = logger(source, 30, 2, 1)) {
      steps(logger, 2);
      assertThat(source.requests()).isEmpty();
      // gap noticed at packet 1, requested at packet 3; answer expected with packet 4, so due
      // at 4 + retransmit timeout 1 = 5
      steps(logger, 1);
      assertThat(source.requests()).containsExactly(0);
      steps(logger, 1);
      assertThat(lines()).isEmpty();
      steps(logger, 1);
      assertThat(lines()).containsExactly("1 OK", "2 OK", "3 OK", "4 OK", "5 OK");
      LoggerStats stats = logger.run();
      assertThat(stats.forcedFlushes()).isEqualTo(1);
      assertThat(stats.gaps()).isEqualTo(1);
      assertThat(stats.retransmitsReceived()).isZero();
    }
    assertThat(source.requests()).as("asked once per run, even by the final sweep")
        .containsExactly(0);
  }

  @Test
  void zeroBufferWritesEveryPacketAsItArrives() throws Exception {
    ScriptedSource source = new ScriptedSource(3).deliver(1, 0, 2);
    try (EventLogger logger = logger(source, 0, 12, 4)) {
      steps(logger, 1);
      assertThat(lines()).containsExactly("1 OK");
      assertThat(logger.run().inversions()).isEqualTo(1);
    }
    assertThat(lines()).containsExactly("1 OK", "0 LATE", "2 OK");
  }

  @Test
  void exhaustedSourceIsAskedForEverythingStillMissing() throws Exception {
    // 2 and 4 went by before a crash, say: only a retransmission brings them now
    ScriptedSource source = new ScriptedSource(5).deliver(0, 1, 3).retransmittable(2, 4);
    try (EventLogger logger = logger(source, 30, 100, 100)) {
      LoggerStats stats = logger.run();
      assertThat(stats.gaps()).isZero();
      assertThat(stats.retransmitsReceived()).isEqualTo(2);
    }
    assertThat(source.requests()).containsExactly(2, 4);
    assertThat(lines()).containsExactly("0 OK", "1 OK", "2 RETRANSMIT", "3 OK", "4 RETRANSMIT");
  }
}

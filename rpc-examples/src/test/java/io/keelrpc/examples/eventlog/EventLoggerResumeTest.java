package io.keelrpc.examples.eventlog;

import static io.keelrpc.examples.eventlog.EventLogSourceFaultsTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The logger killed (the source's in-process terminations) and resumed from its file. */
class EventLoggerResumeTest {
  /** No loss: the source eventually delivers everything, so everything must be logged. */
  private static final SourceConfig LOSSLESS = SourceConfig.builder(5).totalPackets(1500)
      .lossRate(0).terminationRate(0.01).build();

  @TempDir
  Path dir;

  private EventLogRun run(SourceConfig source, LoggerConfig logger) {
    return EventLogRun.builder(source, dir.resolve("events.log")).logger(logger).clock(CLOCK)
        .ticker(() -> 0L).build();
  }

  private static LoggerConfig buffer(int size) {
    return LoggerConfig.builder().bufferSize(size).fsync(FsyncPolicy.never()).build();
  }

  /** Asserts that the log holds each of {@code 0..n-1} exactly once, each line well-formed. */
  private void assertEachSequenceOnce(int n) throws Exception {
    EventLogFile.Contents c = EventLogFile.read(dir.resolve("events.log"));
    int[] seen = new int[n];
    for (LogEntry e : c.entries()) {
      seen[e.sequence()]++;
    }
    assertThat(seen).containsOnly(1);
    assertThat(c.entries()).hasSize(n);
  }

  @Test
  void killedAndResumedRunLogsEverySequenceExactlyOnce() throws Exception {
    EventLogRun.Result r = run(LOSSLESS, buffer(30)).run();

    assertThat(r.restarts()).isGreaterThanOrEqualTo(10);
    assertThat(r.stats().finalBufferSize()).as("packets lost in buffers, recovered later")
        .isGreaterThan(20);
    assertEachSequenceOnce(1500);
    assertThat(r.metrics().coverage()).isEqualTo(1.0);
    assertThat(r.coverageBound()).isEqualTo(1.0);
    assertThat(r.malformedLines()).isZero();
    assertThat(r.stats().packetsWritten()).isEqualTo(1500);
    assertThat(r.stats().gaps()).isZero();
    assertThat(r.metrics().ordering()).isGreaterThan(0.99);
  }

  @Test
  void withLossEveryDeliverableSequenceIsLogged() throws Exception {
    SourceConfig lossy = LOSSLESS.toBuilder().lossRate(0.05).build();
    EventLogRun.Result r = run(lossy, buffer(8)).run();

    assertThat(r.restarts()).isPositive();
    assertThat(r.metrics().logged()).isEqualTo(r.deliverable()).isLessThan(1500);
    assertThat(r.stats().gaps()).isEqualTo(1500 - r.deliverable());
    assertThat(r.metrics().audit().lost()).isPositive();
  }

  @Test
  void resumeNeverRewritesWhatIsInTheFile() throws Exception {
    EventLogRun run = run(LOSSLESS, buffer(30));
    Path log = dir.resolve("events.log");
    int terminated = 0;
    long size = 0;
    byte[] digest = sha256(new byte[0]);
    while (true) {
      EventLogRun.Incarnation i = run.incarnation();
      byte[] now = Files.readAllBytes(log);
      assertThat(now.length).isGreaterThanOrEqualTo((int) size);
      assertThat(sha256(Arrays.copyOf(now, (int) size))).as("after incarnation %d", terminated)
          .isEqualTo(digest);
      size = now.length;
      digest = sha256(now);
      if (i.finished()) {
        break;
      }
      terminated++;
    }
    assertThat(terminated).isGreaterThanOrEqualTo(10);
    assertEachSequenceOnce(1500);
  }

  @Test
  void tornLastLineIsTerminatedAndItsPacketLoggedAgain() throws Exception {
    EventLogRun run = run(LOSSLESS, buffer(30));
    assertThat(run.incarnation().finished()).isFalse();
    Path log = dir.resolve("events.log");
    List<LogEntry> before = EventLogFile.read(log).entries();
    int next = before.stream().mapToInt(LogEntry::sequence).max().orElseThrow() + 1;
    String line;
    try (MessageSource s = MessageSource.open(LOSSLESS, dir.resolve("peek"), CLOCK)) {
      line = LogEntry.of(s.packet(next), LogEntry.Status.OK).toLine();
    }
    // the crash came in the middle of writing the next line
    Files.writeString(log, line.substring(0, line.length() / 2), StandardCharsets.US_ASCII,
        StandardOpenOption.APPEND);
    byte[] torn = Files.readAllBytes(log);

    EventLogRun.Incarnation resumed = run.incarnation();
    assertThat(resumed.continuedTornTail()).isTrue();
    while (!resumed.finished()) {
      resumed = run.incarnation();
      assertThat(resumed.continuedTornTail()).isFalse();
    }

    byte[] after = Files.readAllBytes(log);
    assertThat(Arrays.copyOf(after, torn.length)).isEqualTo(torn);
    assertThat(after[torn.length]).isEqualTo((byte) '\n');
    EventLogFile.Contents c = EventLogFile.read(log);
    assertThat(c.malformedLines()).isEqualTo(1);
    assertThat(c.entries().subList(0, before.size())).isEqualTo(before);
    assertThat(c.entries()).anySatisfy(e -> assertThat(e.sequence()).isEqualTo(next));
    assertEachSequenceOnce(1500);
  }

  @Test
  void resumedLoggerTakesWhatTheFileHoldsAsLogged() throws Exception {
    Path log = dir.resolve("events.log");
    ScriptedSource first = new ScriptedSource(4).deliver(0, 2);
    try (EventLogger logger = EventLogger.open(log, first, buffer(30), () -> 0L)) {
      logger.step();
      logger.step(); // 2 is buffered, waiting for 1: lost with this "process"
      assertThat(logger.buffered()).isEqualTo(1);
    }
    ScriptedSource second = new ScriptedSource(4).deliver(0, 3, 1).retransmittable(2);
    try (EventLogger logger = EventLogger.open(log, second, buffer(30), () -> 0L)) {
      assertThat(logger.recoveredEntries()).isEqualTo(1);
      LoggerStats stats = logger.run();
      assertThat(stats.duplicatesDiscarded()).isEqualTo(1);
    }
    assertThat(second.requests()).containsExactly(2);
    assertThat(EventLogFile.read(log).entries().stream()
        .map(e -> e.sequence() + " " + e.status()).toList())
        .containsExactly("0 OK", "1 OK", "2 RETRANSMIT", "3 OK");
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}

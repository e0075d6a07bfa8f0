package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.eventlog.LogEntry.Status;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and appending to a log whose last line a crash cut short. */
class EventLogFileTornTailTest {
  @TempDir
  Path dir;

  private static LogEntry entry(int seq) {
    return LogEntry.of(ScriptedSource.packet(seq), Status.OK);
  }

  @Test
  void appendingAfterATornLineAddsANewlineAndNeverTouchesEarlierBytes() throws Exception {
    Path log = dir.resolve("events.log");
    String torn = entry(1).toLine().substring(0, 9);
    Files.writeString(log, entry(0).toLine() + torn, StandardCharsets.US_ASCII);
    byte[] before = Files.readAllBytes(log);

    EventLogFile.Contents c = EventLogFile.read(log);
    assertThat(c.tornTail()).isTrue();
    assertThat(c.entries()).containsExactly(entry(0));
    assertThat(c.malformedLines()).isEqualTo(1);

    try (EventLogFile.Appender out = EventLogFile.append(log, FsyncPolicy.always(), () -> 0L)) {
      assertThat(out.continuedTornTail()).isTrue();
      assertThat(out.sizeAtOpen()).isEqualTo(before.length);
      out.append(List.of(entry(1)));
      assertThat(out.forces()).isEqualTo(1);
    }

    byte[] after = Files.readAllBytes(log);
    assertThat(Arrays.copyOf(after, before.length)).isEqualTo(before);
    assertThat(new String(after, before.length, after.length - before.length,
        StandardCharsets.US_ASCII)).isEqualTo("\n" + entry(1).toLine());
    EventLogFile.Contents again = EventLogFile.read(log);
    assertThat(again.tornTail()).isFalse();
    assertThat(again.entries()).containsExactly(entry(0), entry(1));
    assertThat(again.malformedLines()).isEqualTo(1);
  }

  @Test
  void lastLineMissingOnlyItsNewlineIsKept() throws Exception {
    Path log = dir.resolve("events.log");
    String line = entry(0).toLine();
    Files.writeString(log, line.substring(0, line.length() - 1), StandardCharsets.US_ASCII);

    assertThat(EventLogFile.read(log).entries()).containsExactly(entry(0));
    try (EventLogFile.Appender out = EventLogFile.append(log, FsyncPolicy.never(), () -> 0L)) {
      assertThat(out.continuedTornTail()).isTrue();
    }
    assertThat(Files.readString(log)).isEqualTo(line);
  }

  @Test
  void intactFileIsLeftAsItIs() throws Exception {
    Path log = dir.resolve("events.log");
    Files.writeString(log, entry(0).toLine(), StandardCharsets.US_ASCII);

    try (EventLogFile.Appender out = EventLogFile.append(log, FsyncPolicy.never(), () -> 0L)) {
      assertThat(out.continuedTornTail()).isFalse();
      assertThat(out.forces()).isZero();
    }
    assertThat(Files.readString(log)).isEqualTo(entry(0).toLine());
  }

  @Test
  void missingFileReadsAsEmptyAndGarbageIsSkipped() throws Exception {
    assertThat(EventLogFile.read(dir.resolve("none.log")).entries()).isEmpty();

    Path log = dir.resolve("events.log");
    Files.write(log, new byte[] {0, 0, '\n'});
    Files.writeString(log, entry(3).toLine(), StandardOpenOption.APPEND);
    EventLogFile.Contents c = EventLogFile.read(log);
    assertThat(c.entries()).containsExactly(entry(3));
    assertThat(c.malformedLines()).isEqualTo(1);
    assertThat(c.tornTail()).isFalse();
  }

  @Test
  void intervalPolicyForcesOnlyOnceTheIntervalHasPassed() throws Exception {
    Path log = dir.resolve("events.log");
    long[] now = {0};
    try (EventLogFile.Appender out = EventLogFile.append(log,
        FsyncPolicy.every(Duration.ofMillis(100)), () -> now[0])) {
      out.append(List.of(entry(0)));
      assertThat(out.forces()).isZero();
      now[0] = 99_999_999L;
      out.append(List.of(entry(1)));
      assertThat(out.forces()).isZero();
      now[0] = 100_000_000L;
      out.append(List.of(entry(2)));
      assertThat(out.forces()).isEqualTo(1);
      out.append(List.of(entry(3)));
      assertThat(out.forces()).isEqualTo(1);
    }
    assertThat(EventLogFile.read(log).entries()).hasSize(4);
  }
}

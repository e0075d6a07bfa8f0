package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.examples.eventlog.LogEntry.Status;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The log file's line, {@code sequence,timestamp,payload_hex,status} ({@link LogEntry}). */
class EventLogFileFormatTest {
  private static final Packet PACKET = new Packet(42, 1_705_123_456_042_013L,
      "packet_000042_123456".getBytes(StandardCharsets.US_ASCII),
      Packet.crc32("packet_000042_123456".getBytes(StandardCharsets.US_ASCII)));

  @Test
  void writesTheSeedsFourFields() {
    assertThat(LogEntry.of(PACKET, Status.OK).toLine())
        .isEqualTo("42,1705123456.042013,7061636b65745f3030303034325f313233343536,OK\n");
    assertThat(LogEntry.of(PACKET, Status.LATE).toLine()).endsWith(",LATE\n");
    assertThat(LogEntry.of(PACKET, Status.RETRANSMIT).toLine()).endsWith(",RETRANSMIT\n");
    assertThat(LogEntry.formatTimestamp(7)).isEqualTo("0.000007");
  }

  @Test
  void parsesWhatItWrites() {
    for (Status status : Status.values()) {
      LogEntry e = LogEntry.of(PACKET, status);
      String line = e.toLine();

      assertThat(LogEntry.parse(line.substring(0, line.length() - 1))).contains(e);
      assertThat(e.payload()).isEqualTo(PACKET.payload());
    }
  }

  @Test
  void noLineCutShortParsesExceptOneMissingOnlyItsNewline() {
    for (Status status : Status.values()) {
      String line = LogEntry.of(PACKET, status).toLine();
      String whole = line.substring(0, line.length() - 1);
      for (int cut = 0; cut < whole.length(); cut++) {
        assertThat(LogEntry.parse(whole.substring(0, cut))).as("cut at %d", cut).isEmpty();
      }
      assertThat(LogEntry.parse(whole)).isPresent();
    }
  }

  @Test
  void rejectsForeignLines() {
    assertThat(LogEntry.parse("")).isEmpty();
    assertThat(LogEntry.parse("x,1.000000,00,OK")).isEmpty();
    assertThat(LogEntry.parse("01,1.000000,00,OK")).isEmpty();
    assertThat(LogEntry.parse("1,1.00000,00,OK")).isEmpty();
    assertThat(LogEntry.parse("1,1.000000,0,OK")).isEmpty();
    assertThat(LogEntry.parse("1,1.000000,0A,OK")).isEmpty();
    assertThat(LogEntry.parse("1,1.000000,00,ok")).isEmpty();
    assertThat(LogEntry.parse("1,1.000000,00,OK,")).isEmpty();
    assertThat(LogEntry.parse("\0\0\0")).isEmpty();
    assertThat(LogEntry.parse("1,1.000000,,OK")).isPresent();
  }

  @Test
  void corruptionFlipsTheChecksumOnly() {
    Packet bad = PACKET.corrupted();

    assertThat(PACKET.checksumValid()).isTrue();
    assertThat(bad.checksumValid()).isFalse();
    assertThat(bad.checksum()).isEqualTo(PACKET.checksum() ^ 0xDEADBEEFL);
    assertThat(bad.payload()).isEqualTo(PACKET.payload());
    assertThatThrownBy(() -> new Packet(-1, 0, new byte[0], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sequence: -1 (expected: >= 0)");
  }
}

package io.keelrpc.examples.eventlog;

import static io.keelrpc.examples.eventlog.EventLogSourceFaultsTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MessageSource}: its terminations, and its state surviving them. */
class EventLogSourceResumeTest {
  @TempDir
  Path dir;

  @Test
  void restartedSourceContinuesWhereItTerminatedTheProcess() throws Exception {
    SourceConfig dying = SourceConfig.builder(21).totalPackets(1000).terminationRate(0.02)
        .build();
    List<Packet> received = new ArrayList<>();
    int terminations = 0;
    boolean done = false;
    while (!done) {
      // a later restart reads the epoch from the state, not from its clock
      Clock later = Clock.offset(CLOCK, Duration.ofHours(terminations));
      try (MessageSource s = MessageSource.open(dying, dir, later)) {
        Optional<Packet> p;
        while ((p = s.receive()).isPresent()) {
          received.add(p.get());
        }
        done = true;
      } catch (SourceTerminatedException e) {
        terminations++;
      }
    }
    List<Packet> uninterrupted;
    try (MessageSource s = MessageSource.open(dying.toBuilder().terminationRate(0).build(),
        dir.resolve("other"), CLOCK)) {
      uninterrupted = EventLogSourceFaultsTest.drain(s);
    }

    assertThat(terminations).isGreaterThan(5);
    assertThat(received).isEqualTo(uninterrupted);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(".ms_")))
          .as("state deleted once finished").isEmpty();
    }
  }

  @Test
  void pendingRequestsSurviveARestart() throws Exception {
    SourceConfig c = SourceConfig.builder(4).totalPackets(100).terminationRate(0).lossRate(0)
        .corruptionRate(0).build();
    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      s.receive();
      s.requestRetransmit(50);
      s.requestRetransmit(60);
    }
    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      assertThat(s.position()).isEqualTo(1);
      assertThat(s.receive().map(Packet::sequence)).contains(50);
      assertThat(s.receive().map(Packet::sequence)).contains(60);
      assertThat(s.position()).isEqualTo(1);
      assertThat(s.audit().premature()).isEqualTo(2);
    }
  }

  @Test
  void saveTornByAKillResumesFromTheOneBefore() throws Exception {
    SourceConfig c = SourceConfig.builder(4).totalPackets(100).terminationRate(0).build();
    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      for (int i = 0; i < 10; i++) {
        s.receive();
      }
    }
    // save 1 is the fresh state, save n+1 follows delivery n: delivery 10 is in slot 1
    Path newest = dir.resolve(".ms_4.state.1");
    byte[] bytes = Files.readAllBytes(newest);
    assertThat(new String(bytes, StandardCharsets.US_ASCII)).startsWith("keel-ms 11 ")
        .contains("position=10\n");
    bytes[bytes.length - 3] ^= 1; // a byte of the body never made it
    Files.write(newest, bytes);

    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      assertThat(s.position()).isEqualTo(9);
    }
  }

  @Test
  void stateOfAnotherConfigurationIsRefused() throws Exception {
    SourceConfig c = SourceConfig.builder(4).totalPackets(100).build();
    MessageSource.open(c, dir, CLOCK).close();

    assertThatThrownBy(() -> MessageSource.open(c.toBuilder().totalPackets(101).build(), dir,
        CLOCK))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("was written for SourceConfig[seed=4, totalPackets=100");
  }

  @Test
  void newSourceTakesItsEpochFromTheClock() throws Exception {
    SourceConfig c = SourceConfig.builder(4).totalPackets(10).build();
    Clock clock = Clock.fixed(Instant.parse("2024-01-13T05:24:16.900Z"), ZoneOffset.UTC);
    try (MessageSource s = MessageSource.open(c, dir, clock)) {
      assertThat(s.packet(0).timestampMicros() / 1_000_000).isEqualTo(1_705_123_456L);
    }
  }
}

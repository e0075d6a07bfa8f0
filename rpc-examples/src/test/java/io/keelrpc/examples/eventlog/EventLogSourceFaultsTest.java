package io.keelrpc.examples.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MessageSource}: what it generates from a seed, and its faults. */
class EventLogSourceFaultsTest {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_705_123_456L), ZoneOffset.UTC);

  @TempDir
  Path dir;

  /** Every packet of a source that never terminates, requesting nothing. */
  static List<Packet> drain(MessageSource source) throws Exception {
    List<Packet> out = new ArrayList<>();
    Optional<Packet> p;
    while ((p = source.receive()).isPresent()) {
      out.add(p.get());
    }
    return out;
  }

  private List<Packet> stream(SourceConfig config, String sub) throws Exception {
    try (MessageSource s = MessageSource.open(config, dir.resolve(sub), CLOCK)) {
      return drain(s);
    }
  }

  @Test
  void sameSeedGivesTheSameStreamAndAnotherSeedAnother() throws Exception {
    SourceConfig c = SourceConfig.builder(7).totalPackets(300).terminationRate(0).build();

    List<Packet> a = stream(c, "a");
    List<Packet> b = stream(c, "b");
    List<Packet> other = stream(SourceConfig.builder(8).totalPackets(300).terminationRate(0)
        .build(), "c");

    assertThat(a).isEqualTo(b).isNotEqualTo(other);
  }

  @Test
  void packetsLookLikeTheSeeds() throws Exception {
    SourceConfig c = SourceConfig.builder(1).totalPackets(50).terminationRate(0).lossRate(0)
        .corruptionRate(0).build();
    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      Packet p = s.packet(42);

      assertThat(new String(p.payload(), StandardCharsets.US_ASCII))
          .matches("packet_000042_\\d{1,6}");
      assertThat(p.checksumValid()).isTrue();
      assertThat(p.timestampMicros() - 1_705_123_456_000_000L).isBetween(42_000L, 42_099L);
      assertThat(drain(s)).allSatisfy(q -> assertThat(q).isEqualTo(s.packet(q.sequence())));
    }
  }

  @Test
  void faultRatesShowInTheStream() throws Exception {
    SourceConfig c = SourceConfig.builder(3).totalPackets(4000).terminationRate(0)
        .lossRate(0.05).duplicateRate(0.10).corruptionRate(0.08).build();
    List<Packet> packets = stream(c, "s");

    Map<Integer, Integer> copies = new HashMap<>();
    long corrupted = 0;
    for (Packet p : packets) {
      copies.merge(p.sequence(), 1, Integer::sum);
      corrupted += p.checksumValid() ? 0 : 1;
    }
    long lost = 4000 - copies.size();
    long duplicated = copies.values().stream().filter(n -> n == 2).count();

    assertThat(copies.values()).allSatisfy(n -> assertThat(n).isBetween(1, 2));
    assertThat(lost).isBetween(150L, 250L); // 5% of 4000 = 200
    assertThat(duplicated).isBetween(310L, 450L); // 10% of 3800 = 380
    assertThat(corrupted).isBetween((long) (packets.size() * 0.06),
        (long) (packets.size() * 0.10));
    try (MessageSource s = MessageSource.open(c, dir.resolve("t"), CLOCK)) {
      assertThat(s.deliverableSequences()).isEqualTo(copies.size());
      assertThat(s.totalDeliveries()).isEqualTo(packets.size());
      assertThat(MessageSource.deliverableSequences(c)).isEqualTo(copies.size());
    }
  }

  @Test
  void reorderingStaysWithinTheWindow() throws Exception {
    int w = 6;
    SourceConfig c = SourceConfig.builder(5).totalPackets(2000).reorderWindow(w)
        .terminationRate(0).lossRate(0).duplicateRate(0).build();
    List<Packet> packets = stream(c, "s");

    assertThat(packets).hasSize(2000);
    int highest = -1;
    int inversions = 0;
    for (Packet p : packets) {
      // a packet is queued at seq + [0, w], so nothing above seq + w can overtake it
      assertThat(highest).as("before %d", p.sequence()).isLessThanOrEqualTo(p.sequence() + w);
      inversions += p.sequence() < highest ? 1 : 0;
      highest = Math.max(highest, p.sequence());
    }
    assertThat(inversions).as("it does reorder").isGreaterThan(100);
  }

  @Test
  void retransmissionComesBeforeTheNextDeliveryUnlessThePacketWasLost() throws Exception {
    SourceConfig c = SourceConfig.builder(11).totalPackets(200).terminationRate(0)
        .lossRate(0.2).corruptionRate(0).build();
    List<Packet> all = stream(c, "copy");
    int first = all.get(0).sequence();
    int lost = 0;
    while (contains(all, lost)) {
      lost++;
    }
    try (MessageSource s = MessageSource.open(c, dir, CLOCK)) {
      s.requestRetransmit(first); // its regular copy is still to come: premature
      s.requestRetransmit(first); // already pending: repeated, ignored
      assertThat(s.receive()).contains(s.packet(first));
      s.requestRetransmit(lost);
      assertThat(s.receive()).as("the first regular delivery, nothing for the lost one")
          .contains(all.get(0));
      while (s.remainingDeliveries() > 0) {
        s.receive();
      }
      s.requestRetransmit(first); // nothing intact left to come: needed
      assertThat(s.receive()).contains(s.packet(first));
      assertThat(s.receive()).isEmpty();
      assertThat(s.isFinished()).isTrue();
      assertThat(s.audit()).isEqualTo(new RetransmitAudit(1, 1, 1, 1));
    }
  }

  private static boolean contains(List<Packet> packets, int seq) {
    return packets.stream().anyMatch(p -> p.sequence() == seq);
  }
}

package io.keelrpc.examples.eventlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PacketSource} that delivers a fixed script and answers a retransmission request, as
 * the seed's source does, before the next regular delivery, if it was told it has the packet.
 */
final class ScriptedSource implements PacketSource {
  private final int totalPackets;
  private final Deque<Packet> script = new ArrayDeque<>();
  private final Map<Integer, Packet> retransmittable = new HashMap<>();
  private final Deque<Integer> pending = new ArrayDeque<>();
  private final List<Integer> requests = new ArrayList<>();

  ScriptedSource(int totalPackets) {
    this.totalPackets = totalPackets;
  }

  /** Packet {@code seq} with a valid checksum: payload "p{seq}", timestamp seq ms after 1 s. */
  static Packet packet(int seq) {
    byte[] payload = ("p" + seq).getBytes(StandardCharsets.US_ASCII);
    return new Packet(seq, 1_000_000L + seq * 1000L, payload, Packet.crc32(payload));
  }

  /** Appends regular deliveries of these sequences. */
  ScriptedSource deliver(int... seqs) {
    for (int s : seqs) {
      script.add(packet(s));
    }
    return this;
  }

  /** Appends a corrupted delivery of {@code seq}. */
  ScriptedSource deliverCorrupted(int seq) {
    script.add(packet(seq).corrupted());
    return this;
  }

  /** Makes these sequences available to retransmission requests. */
  ScriptedSource retransmittable(int... seqs) {
    for (int s : seqs) {
      retransmittable.put(s, packet(s));
    }
    return this;
  }

  /** Every requestRetransmit call, in order. */
  List<Integer> requests() {
    return requests;
  }

  @Override
  public Optional<Packet> receive() {
    while (!pending.isEmpty()) {
      Packet p = retransmittable.get(pending.poll());
      if (p != null) {
        return Optional.of(p);
      }
      if (!script.isEmpty()) {
        break;
      }
    }
    return Optional.ofNullable(script.poll());
  }

  @Override
  public void requestRetransmit(int sequence) {
    requests.add(sequence);
    if (!pending.contains(sequence)) {
      pending.add(sequence);
    }
  }

  @Override
  public int totalPackets() {
    return totalPackets;
  }

  @Override
  public int remainingDeliveries() {
    return script.size();
  }
}

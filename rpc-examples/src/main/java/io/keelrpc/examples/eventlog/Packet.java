package io.keelrpc.examples.eventlog;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * One packet from a {@link PacketSource}, as the seed's {@code Packet}: a global sequence number
 * (the ground-truth order, from 0), the time it was generated, an opaque payload, and the CRC32
 * of the payload as the sender computed it. A corrupted packet is one whose {@code checksum} no
 * longer matches its payload ({@link #checksumValid()}).
 *
 * @param sequence the global sequence number, {@code >= 0}
 * @param timestampMicros when the packet was generated, in microseconds since the Unix epoch;
 *     the logger writes this original timestamp, never the time of arrival
 * @param payload the payload bytes (not copied: treat as read-only)
 * @param checksum the CRC32 the sender attached, {@code 0..2^32-1}
 */
public record Packet(int sequence, long timestampMicros, byte[] payload, long checksum) {
  /** Validates the fields. */
  public Packet {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 0)");
    }
    if (timestampMicros < 0) {
      throw new IllegalArgumentException("timestampMicros: " + timestampMicros
          + " (expected: >= 0)");
    }
    Objects.requireNonNull(payload, "payload");
    if (checksum < 0 || checksum > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("checksum: " + checksum + " (expected: 0..2^32-1)");
    }
  }

  /** The CRC32 of {@code bytes}. */
  public static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  /** Whether {@link #checksum()} is the CRC32 of {@link #payload()}: false for a corrupted one. */
  public boolean checksumValid() {
    return crc32(payload) == checksum;
  }

  /** The payload as lower-case hex, as the log writes it. */
  public String payloadHex() {
    return HexFormat.of().formatHex(payload);
  }

  /** This packet with its checksum XORed with {@code 0xDEADBEEF}: the seed's corruption. */
  public Packet corrupted() {
    return new Packet(sequence, timestampMicros, payload, checksum ^ 0xDEAD_BEEFL);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p && p.sequence == sequence
        && p.timestampMicros == timestampMicros && p.checksum == checksum
        && Arrays.equals(p.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sequence, timestampMicros, checksum) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Packet[sequence=" + sequence + ", timestampMicros=" + timestampMicros
        + ", payload=" + payloadHex() + ", checksum=" + checksum + "]";
  }
}

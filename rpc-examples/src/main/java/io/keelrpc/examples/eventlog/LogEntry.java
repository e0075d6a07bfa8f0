package io.keelrpc.examples.eventlog;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the event log, {@code sequence,timestamp,payload_hex,status}:
 *
 * <pre>
 * 42,1705123456.042013,7061636b65745f3030303034325f313233343536,OK
 * ^^ ^^^^^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ^^
 * |  |                 |                                        OK | LATE | RETRANSMIT
 * |  |                 the payload, lower-case hex (even length, may be empty)
 * |  the packet's own timestamp: Unix seconds, '.', exactly 6 digits of microseconds
 * the sequence number, decimal, no sign or leading zeros
 * </pre>
 *
 * Every line ends with {@code '\n'}; the file is ASCII. {@link #parse} accepts exactly what
 * {@link #toLine} writes and nothing else, so a line cut short by a crash never parses (its
 * status would be missing or a strict prefix of one) unless only the newline is missing.
 *
 * @param sequence the packet's sequence number
 * @param timestampMicros the packet's timestamp, microseconds since the Unix epoch
 * @param payloadHex the payload in lower-case hex
 * @param status how the packet reached the log
 */
public record LogEntry(int sequence, long timestampMicros, String payloadHex, Status status) {
  /** How a packet reached the log: the seed's three statuses. */
  public enum Status {
    /** Written in order: no higher sequence was in the log yet, and not recovered on request. */
    OK,
    /**
     * Written after a higher sequence (an inversion). Takes precedence over
     * {@link #RETRANSMIT}: it is what a reader of the file must know to put it back in order.
     */
    LATE,
    /** Recovered through a retransmission request, and written in order. */
    RETRANSMIT
  }

  private static final HexFormat HEX = HexFormat.of();

  /** Validates the fields. */
  public LogEntry {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 0)");
    }
    if (timestampMicros < 0) {
      throw new IllegalArgumentException("timestampMicros: " + timestampMicros
          + " (expected: >= 0)");
    }
    Objects.requireNonNull(payloadHex, "payloadHex");
    Objects.requireNonNull(status, "status");
    if (!isHex(payloadHex)) {
      throw new IllegalArgumentException("payloadHex: \"" + payloadHex
          + "\" (expected: lower-case hex of even length)");
    }
  }

  /** The entry for {@code packet} with {@code status}. */
  public static LogEntry of(Packet packet, Status status) {
    return new LogEntry(packet.sequence(), packet.timestampMicros(), packet.payloadHex(), status);
  }

  /** The payload bytes. */
  public byte[] payload() {
    return HEX.parseHex(payloadHex);
  }

  /** The line, with its {@code '\n'}. */
  public String toLine() {
    return sequence + "," + formatTimestamp(timestampMicros) + "," + payloadHex + ","
        + status + "\n";
  }

  /** {@code micros} as seconds with exactly six decimals: {@code 1705123456.042013}. */
  public static String formatTimestamp(long micros) {
    String frac = Long.toString(micros % 1_000_000);
    return micros / 1_000_000 + "." + "000000".substring(frac.length()) + frac;
  }

  /** The entry {@code line} (without its newline) holds, or empty if it is not a valid line. */
  public static Optional<LogEntry> parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length != 4 || !isDecimal(f[0]) || f[0].length() > 10 || !isHex(f[2])) {
      return Optional.empty();
    }
    long seq = Long.parseLong(f[0]);
    String ts = f[1];
    int dot = ts.indexOf('.');
    if (seq > Integer.MAX_VALUE || dot < 1 || ts.length() - dot - 1 != 6 || dot > 12
        || !isDecimal(ts.substring(0, dot)) || !allDigits(ts.substring(dot + 1))) {
      return Optional.empty();
    }
    Status status;
    switch (f[3]) {
      case "OK" -> status = Status.OK;
      case "LATE" -> status = Status.LATE;
      case "RETRANSMIT" -> status = Status.RETRANSMIT;
      default -> {
        return Optional.empty();
      }
    }
    long micros = Long.parseLong(ts.substring(0, dot)) * 1_000_000
        + Long.parseLong(ts.substring(dot + 1));
    return Optional.of(new LogEntry((int) seq, micros, f[2], status));
  }

  private static boolean isDecimal(String s) {
    return allDigits(s) && (s.length() == 1 || s.charAt(0) != '0');
  }

  private static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s) {
    if (s.length() % 2 != 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}

package io.keelrpc.examples.eventlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The mutable, persisted part of a {@link MessageSource}: epoch, queue position, run-time draws,
 * pending retransmission requests, and the {@link RetransmitAudit} of the requests so far.
 *
 * <h2>On disk</h2>
 * Two slot files, {@code <name>.0} and {@code <name>.1}; save number {@code g} overwrites slot
 * {@code g % 2} in place, so the other slot always holds the save before it intact. A slot is
 * <pre>
 * keel-ms 17 5f1c2a9e 212\n        "keel-ms", save number g, CRC32 (hex) and length of the body
 * version=1\n                       the body: key=value lines
 * config=SourceConfig[seed=42, ...]\n
 * epochMicros=1705123456000000\n
 * position=317\n
 * draws=322\n
 * pending=12,15\n
 * audit=9,3,2,1\n                   needed, premature, lost, repeated
 * [stale bytes of an older, longer save: ignored]
 * </pre>
 * Loading takes the intact slot (header parses, body complete, CRC matches) with the higher
 * save number. A kill in the middle of a save therefore resumes from the save before it, which
 * is safe: a delivery or retransmission it recorded had not been returned yet, and a request it
 * recorded is made again by the logger. Overwriting in place costs a few microseconds; renaming
 * a new file over the old one costs about a millisecond on ext4, which flushes on such renames.
 * Neither is fsynced: the state stands for the sender's memory, which outlives the receiver's
 * crash but is not meant to survive a power loss.
 */
final class SourceState {
  private static final String MAGIC = "keel-ms";

  final long epochMicros;
  int position;
  long draws;
  final List<Integer> pending;
  /** needed, premature, lost, repeated. */
  final long[] audit;

  private SourceState(long epochMicros, int position, long draws, List<Integer> pending,
      long[] audit) {
    this.epochMicros = epochMicros;
    this.position = position;
    this.draws = draws;
    this.pending = pending;
    this.audit = audit;
  }

  static SourceState fresh(long epochMicros) {
    return new SourceState(epochMicros, 0, 0, new ArrayList<>(), new long[4]);
  }

  /** Reads and writes the two slots of one state; keeps them open until closed. */
  static final class Store {
    private final Path[] slots;
    private final FileChannel[] channels = new FileChannel[2];
    private final String configLine;
    private long saves;

    /** The slots {@code base.0} and {@code base.1}. */
    Store(Path base, SourceConfig config) {
      this.slots = new Path[] {base.resolveSibling(base.getFileName() + ".0"),
          base.resolveSibling(base.getFileName() + ".1")};
      this.configLine = config.toString();
    }

    /**
     * The latest intact save, or empty if neither slot exists.
     *
     * @throws IOException if slots exist but none is intact, or it is of another configuration
     */
    Optional<SourceState> load() throws IOException {
      long bestSave = -1;
      String bestBody = null;
      boolean any = false;
      for (Path slot : slots) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(slot);
        } catch (NoSuchFileException e) {
          continue;
        }
        any = true;
        int nl = indexOf(bytes, (byte) '\n');
        if (nl < 0) {
          continue;
        }
        String[] h = new String(bytes, 0, nl, StandardCharsets.US_ASCII).split(" ");
        try {
          if (h.length != 4 || !h[0].equals(MAGIC)) {
            continue;
          }
          long save = Long.parseLong(h[1]);
          long crc = Long.parseLong(h[2], 16);
          int length = Integer.parseInt(h[3]);
          if (length < 0 || nl + 1 + length > bytes.length || crc(bytes, nl + 1, length) != crc
              || save <= bestSave) {
            continue;
          }
          bestSave = save;
          bestBody = new String(bytes, nl + 1, length, StandardCharsets.UTF_8);
        } catch (NumberFormatException e) {
          // not intact
        }
      }
      if (bestBody == null) {
        if (any) {
          throw new IOException(slots[0] + ", " + slots[1] + ": no intact message source state");
        }
        return Optional.empty();
      }
      saves = bestSave;
      return Optional.of(parse(bestBody));
    }

    /** Writes the next save over the older slot. */
    void save(SourceState state) throws IOException {
      StringBuilder b = new StringBuilder(160 + 8 * state.pending.size())
          .append("version=1\n")
          .append("config=").append(configLine).append('\n')
          .append("epochMicros=").append(state.epochMicros).append('\n')
          .append("position=").append(state.position).append('\n')
          .append("draws=").append(state.draws).append('\n')
          .append("pending=");
      for (int i = 0; i < state.pending.size(); i++) {
        b.append(i == 0 ? "" : ",").append(state.pending.get(i));
      }
      b.append("\naudit=").append(state.audit[0]).append(',').append(state.audit[1]).append(',')
          .append(state.audit[2]).append(',').append(state.audit[3]);
      byte[] body = b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
      long save = ++saves;
      byte[] header = (MAGIC + " " + save + " " + Long.toHexString(crc(body, 0, body.length))
          + " " + body.length + "\n").getBytes(StandardCharsets.US_ASCII);
      ByteBuffer buf = ByteBuffer.allocate(header.length + body.length).put(header).put(body)
          .flip();
      int slot = (int) (save % 2);
      if (channels[slot] == null) {
        channels[slot] = FileChannel.open(slots[slot], StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
      }
      long at = 0;
      while (buf.hasRemaining()) {
        at += channels[slot].write(buf, at);
      }
    }

    /** Closes and deletes both slots. */
    void delete() throws IOException {
      close();
      for (Path slot : slots) {
        Files.deleteIfExists(slot);
      }
    }

    /** Closes the slots' files (they stay on disk). */
    void close() throws IOException {
      IOException failure = null;
      for (int i = 0; i < channels.length; i++) {
        if (channels[i] != null) {
          try {
            channels[i].close();
          } catch (IOException e) {
            failure = e;
          }
          channels[i] = null;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    private SourceState parse(String body) throws IOException {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : body.split("\n")) {
        int eq = line.indexOf('=');
        if (eq < 1) {
          throw new IOException(slots[0] + ": malformed line \"" + line + "\"");
        }
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
      if (!"1".equals(values.get("version"))) {
        throw new IOException(slots[0] + ": unsupported version " + values.get("version"));
      }
      if (!configLine.equals(values.get("config"))) {
        throw new IOException(slots[0] + " was written for " + values.get("config") + ", not "
            + configLine + " (delete it, and the log, to start over)");
      }
      try {
        List<Integer> pending = new ArrayList<>();
        String p = required(values, "pending");
        if (!p.isEmpty()) {
          for (String s : p.split(",", -1)) {
            pending.add(Integer.parseInt(s));
          }
        }
        String[] a = required(values, "audit").split(",", -1);
        if (a.length != 4) {
          throw new IOException(slots[0] + ": malformed audit");
        }
        long[] audit = new long[4];
        for (int i = 0; i < 4; i++) {
          audit[i] = Long.parseLong(a[i]);
        }
        SourceState state = new SourceState(Long.parseLong(required(values, "epochMicros")),
            Integer.parseInt(required(values, "position")),
            Long.parseLong(required(values, "draws")), pending, audit);
        if (state.position < 0 || state.draws < 0 || state.epochMicros < 0
            || Arrays.stream(audit).anyMatch(x -> x < 0)) {
          throw new IOException(slots[0] + ": negative position, draws, epoch or count");
        }
        return state;
      } catch (NumberFormatException e) {
        throw new IOException(slots[0] + ": " + e.getMessage(), e);
      }
    }

    private String required(Map<String, String> values, String key) throws IOException {
      String v = values.get(key);
      if (v == null) {
        throw new IOException(slots[0] + ": missing " + key);
      }
      return v;
    }

    private static long crc(byte[] bytes, int offset, int length) {
      CRC32 c = new CRC32();
      c.update(bytes, offset, length);
      return c.getValue();
    }

    private static int indexOf(byte[] bytes, byte b) {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == b) {
          return i;
        }
      }
      return -1;
    }
  }
}

package io.keelrpc.examples.kv.storage;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads an {@link AppendOnlyFileKvStorage} log from its header to the first record that is cut
 * short, out of range, fails its CRC or does not decode, rebuilding each key's state. It only
 * reads; the store truncates what it reports as bad.
 */
final class LogReplay {
  /**
   * What a replay found.
   *
   * @param states each key's state after the good records
   * @param end the offset just past the last good record: where the log should end
   * @param records how many good records were read
   * @param stopReason why reading stopped before the file's end, or null if it did not
   */
  record Result(Map<String, KeyState> states, long end, long records, String stopReason) {}

  private final Path logPath;
  private final int writerHistory;

  LogReplay(Path logPath, int writerHistory) {
    this.logPath = logPath;
    this.writerHistory = writerHistory;
  }

  /**
   * Replays {@code channel} (at least {@link LogCodec#HEADER_BYTES} long) from offset 0; leaves
   * its position anywhere.
   *
   * @throws IOException if the header is not a KV log's, a good record breaks a key's version
   *     sequence (the log is inconsistent, not torn), or reading fails
   */
  Result read(FileChannel channel) throws IOException {
    long size = channel.size();
    Map<String, KeyState> states = new HashMap<>();
    long end = LogCodec.HEADER_BYTES;
    long records = 0;
    String stopReason = null;
    channel.position(0);
    // Not closed: closing the stream would close the channel, which the store goes on using.
    DataInputStream in = new DataInputStream(
        new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    byte[] header = in.readNBytes(LogCodec.HEADER_BYTES);
    if (!LogCodec.isHeader(header)) {
      throw new IOException(logPath + " is not a Keel KV log (bad header)");
    }
    while (end < size) {
      long left = size - end;
      if (left < LogCodec.RECORD_HEADER_BYTES) {
        stopReason = "a record header cut short";
        break;
      }
      int length;
      int crc;
      try {
        length = in.readInt();
        crc = in.readInt();
      } catch (EOFException e) {
        stopReason = "a record header cut short";
        break;
      }
      if (length < 1 || length > LogCodec.MAX_PAYLOAD_BYTES) {
        stopReason = "a record length of " + length;
        break;
      }
      if (left - LogCodec.RECORD_HEADER_BYTES < length) {
        stopReason = "a record cut short";
        break;
      }
      byte[] payload = in.readNBytes(length);
      if (payload.length < length) {
        stopReason = "a record cut short";
        break;
      }
      if (LogCodec.crc(payload) != crc) {
        stopReason = "a CRC mismatch";
        break;
      }
      LogCodec.Entry entry;
      try {
        entry = LogCodec.decode(payload);
      } catch (LogCodec.MalformedRecordException e) {
        stopReason = "an undecodable record (" + e.getMessage() + ")";
        break;
      }
      apply(states, entry, end);
      end += LogCodec.RECORD_HEADER_BYTES + length;
      records++;
    }
    return new Result(states, end, records, stopReason);
  }

  private void apply(Map<String, KeyState> states, LogCodec.Entry entry, long offset)
      throws IOException {
    KeyState current = states.get(entry.key());
    if (entry instanceof LogCodec.State s) {
      if (current != null && s.version() < current.version()) {
        throw inconsistent(offset, s.key(), s.version(), current);
      }
      states.put(s.key(), KeyState.restored(s.value(), s.version(), s.writers()));
    } else if (entry instanceof LogCodec.Put p) {
      long expected = current == null ? 1 : current.version() + 1;
      if (p.version() != expected) {
        throw inconsistent(offset, p.key(), p.version(), current);
      }
      states.put(p.key(), current == null ? KeyState.created(p.value(), p.writerId())
          : current.then(p.value(), p.writerId(), writerHistory));
    }
  }

  private IOException inconsistent(long offset, String key, long version, KeyState current) {
    return new IOException(logPath + ": the record at offset " + offset + " puts key '" + key
        + "' at version " + version + " after version "
        + (current == null ? "none" : String.valueOf(current.version()))
        + " (expected: the next version); the log is inconsistent, not torn");
  }
}

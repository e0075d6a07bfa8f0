package io.keelrpc.examples.kv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The byte layout of {@link AppendOnlyFileKvStorage}'s log (drawn in that class's Javadoc):
 * encoding of records, and decoding of a record's payload once its length and CRC checked out.
 */
final class LogCodec {
  /** The file header: "KEELKV", then the format version 1 as two bytes. */
  static final byte[] MAGIC = {'K', 'E', 'E', 'L', 'K', 'V', 0, 1};
  /** Bytes of {@link #MAGIC}. */
  static final int HEADER_BYTES = MAGIC.length;
  /** Bytes before each record's payload: length and CRC32, each 4 bytes big-endian. */
  static final int RECORD_HEADER_BYTES = 8;
  /** The largest payload written or accepted on replay: 16 MiB. */
  static final int MAX_PAYLOAD_BYTES = 16 << 20;

  /** Payload type of one write. */
  static final byte PUT = 1;
  /** Payload type of a key's whole state, written by compaction. */
  static final byte STATE = 2;

  private LogCodec() {}

  /** A decoded payload. */
  sealed interface Entry permits Put, State {
    /** The key the entry is about. */
    String key();
  }

  /** One write: {@code key} went to {@code version} with {@code value} by {@code writerId}. */
  record Put(String key, long version, String value, String writerId) implements Entry {}

  /** A key's whole state: value, version and remembered writer ids (oldest first). */
  record State(String key, long version, String value, String[] writers) implements Entry {}

  /** A payload that passed its CRC but cannot be decoded. */
  static final class MalformedRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String message) {
      super(message);
    }
  }

  /**
   * The full record (length, CRC32, payload) of one write, ready to be written.
   *
   * @throws IllegalArgumentException if the payload would exceed {@link #MAX_PAYLOAD_BYTES}
   */
  static ByteBuffer put(String key, long version, String value, String writerId) {
    byte[] k = utf8(key);
    byte[] v = utf8(value);
    byte[] w = writerId == null ? null : utf8(writerId);
    long size = 1L + 8 + 4 + k.length + 4 + v.length + 4 + (w == null ? 0 : w.length);
    ByteBuffer b = allocate(size);
    b.put(PUT).putLong(version);
    putBytes(b, k);
    putBytes(b, v);
    putNullable(b, w);
    return seal(b);
  }

  /** The full record of a key's whole state, as compaction writes it. */
  static ByteBuffer state(String key, KeyState s) {
    byte[] k = utf8(key);
    byte[] v = utf8(s.value());
    String[] writers = s.writers();
    byte[][] w = new byte[writers.length][];
    long size = 1L + 8 + 4 + k.length + 4 + v.length + 4;
    for (int i = 0; i < writers.length; i++) {
      w[i] = writers[i] == null ? null : utf8(writers[i]);
      size += 4 + (w[i] == null ? 0 : w[i].length);
    }
    ByteBuffer b = allocate(size);
    b.put(STATE).putLong(s.version());
    putBytes(b, k);
    putBytes(b, v);
    b.putInt(w.length);
    for (byte[] bytes : w) {
      putNullable(b, bytes);
    }
    return seal(b);
  }

  /** The bytes {@link #state} would take for this key, without encoding it. */
  static long stateSize(String key, KeyState s) {
    long size = RECORD_HEADER_BYTES + 1L + 8 + 4 + utf8Length(key) + 4 + utf8Length(s.value()) + 4;
    for (String w : s.writers()) {
      size += 4 + (w == null ? 0 : utf8Length(w));
    }
    return size;
  }

  /** CRC32 of {@code payload}, as stored in the record header. */
  static int crc(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** Decodes a payload whose CRC matched. */
  static Entry decode(byte[] payload) throws MalformedRecordException {
    ByteBuffer b = ByteBuffer.wrap(payload);
    try {
      byte type = b.get();
      long version = b.getLong();
      if (version < 1) {
        throw new MalformedRecordException("version " + version + " (expected: >= 1)");
      }
      String key = string(b);
      String value = string(b);
      Entry e;
      if (type == PUT) {
        e = new Put(key, version, value, nullableString(b));
      } else if (type == STATE) {
        int n = b.getInt();
        if (n < 1 || n > version || n > b.remaining() / 4) {
          throw new MalformedRecordException("writer count " + n + " at version " + version);
        }
        String[] writers = new String[n];
        for (int i = 0; i < n; i++) {
          writers[i] = nullableString(b);
        }
        e = new State(key, version, value, writers);
      } else {
        throw new MalformedRecordException("record type " + type + " (expected: 1 or 2)");
      }
      if (b.hasRemaining()) {
        throw new MalformedRecordException(b.remaining() + " bytes after the record's fields");
      }
      if (key.isEmpty()) {
        throw new MalformedRecordException("empty key");
      }
      return e;
    } catch (java.nio.BufferUnderflowException e) {
      throw new MalformedRecordException("payload of " + payload.length + " bytes ends early");
    }
  }

  private static ByteBuffer allocate(long payloadSize) {
    if (payloadSize > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("record: " + payloadSize + " bytes (expected: <= "
          + MAX_PAYLOAD_BYTES + "; the key, value and writer ids are too large)");
    }
    ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER_BYTES + (int) payloadSize);
    b.position(RECORD_HEADER_BYTES);
    return b;
  }

  private static ByteBuffer seal(ByteBuffer b) {
    int payloadLength = b.position() - RECORD_HEADER_BYTES;
    byte[] array = b.array();
    CRC32 crc = new CRC32();
    crc.update(array, RECORD_HEADER_BYTES, payloadLength);
    b.putInt(0, payloadLength);
    b.putInt(4, (int) crc.getValue());
    b.flip();
    return b;
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    b.putInt(bytes.length).put(bytes);
  }

  private static void putNullable(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      putBytes(b, bytes);
    }
  }

  private static String string(ByteBuffer b) throws MalformedRecordException {
    String s = nullableString(b);
    if (s == null) {
      throw new MalformedRecordException("missing string");
    }
    return s;
  }

  private static String nullableString(ByteBuffer b) throws MalformedRecordException {
    int n = b.getInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > b.remaining()) {
      throw new MalformedRecordException("string length " + n + " with " + b.remaining()
          + " bytes left");
    }
    byte[] bytes = new byte[n];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** UTF-8 length of {@code s}, counting an unpaired surrogate as the 1 byte '?' it encodes to. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** True if {@code header} is this format's file header. */
  static boolean isHeader(byte[] header) {
    return Arrays.equals(header, MAGIC);
  }
}

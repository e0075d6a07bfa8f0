package io.keelrpc.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Completed idempotency outcomes in a first-in-first-out byte log with an open-addressing index:
 * the storage behind {@link io.keelrpc.server.idempotency.InMemoryIdempotencyStore}.
 *
 * <p>Why bytes: a cached outcome lives for the TTL (10 s by default), long enough to survive
 * several young collections. Kept as objects (a map node, a log node, the key, the result array,
 * the entry) every outcome was copied by each young collection until promoted, and at 100k calls/s
 * the copying dominated the server's time. Here an outcome is a record appended to reused 64 KiB
 * chunks and found through two primitive arrays, so the garbage collector sees a fixed number of
 * long-lived arrays however many outcomes are held.
 *
 * <p>A record, at a position in one logical byte stream that spans the chunks:
 *
 * <pre>
 * +--------+--------+--------+-------------+-----------+-------+---------+------------+
 * | length | hash   | keyLen | fingerprint | expiresAt | error | key     | json       |
 * | int    | int    | int    | long        | long      | byte  | keyLen  | the rest   |
 * +--------+--------+--------+-------------+-----------+-------+---------+------------+
 * </pre>
 *
 * <p>The index maps a key's hash to its record's position with linear probing and backward-shift
 * deletion (no tombstones). Records are removed only from the head, oldest first, when they expire
 * or a bound is exceeded. Not thread-safe: the store guards it with one lock.
 */
public final class OutcomeLog {
  /** Bytes of each record besides its key and result. */
  public static final int HEADER_BYTES = 4 + 4 + 4 + 8 + 8 + 1;

  private static final int CHUNK_SHIFT = 16;
  private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;
  private static final int SPARE_CHUNKS = 4;
  private static final int INITIAL_SLOTS = 1 << 10;

  /** The chunks in stream order: {@code count} of them from {@code first}, circular. */
  private byte[][] ring = new byte[8][];
  private int first;
  private int count;
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  /** Stream position of the first byte of the first chunk. */
  private long base;
  /** Stream position of the oldest record. */
  private long head;
  /** Stream position where the next record goes. */
  private long tail;

  /** Record position + 1 per slot; 0 means empty. */
  private long[] slots = new long[INITIAL_SLOTS];
  private int[] hashes = new int[INITIAL_SLOTS];
  private int size;
  private long payloadBytes;

  private final byte[] scratch = new byte[HEADER_BYTES];

  /** A record found by {@link #find}: copies of its parts. */
  public record Found(long fingerprint, long expiresAt, boolean error, byte[] json) {}

  /** Number of records held. */
  public int size() {
    return size;
  }

  /** Bytes the records take in the log (headers, keys, results). */
  public long bytes() {
    return tail - head;
  }

  /** Bytes of keys and results alone. */
  public long payloadBytes() {
    return payloadBytes;
  }

  /** The UTF-8 form of a key, as the log stores and compares it. */
  public static byte[] keyBytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** Appends a record; a record for an equal key already held stays but is no longer found. */
  public void append(byte[] key, long fingerprint, long expiresAt, boolean error, byte[] json) {
    int hash = hash(key);
    int length = HEADER_BYTES + key.length + json.length;
    long at = tail;
    ensureCapacity(length);
    putInt(scratch, 0, length);
    putInt(scratch, 4, hash);
    putInt(scratch, 8, key.length);
    putLong(scratch, 12, fingerprint);
    putLong(scratch, 20, expiresAt);
    scratch[28] = (byte) (error ? 1 : 0);
    write(at, scratch, HEADER_BYTES);
    write(at + HEADER_BYTES, key, key.length);
    write(at + HEADER_BYTES + key.length, json, json.length);
    tail = at + length;
    payloadBytes += key.length + json.length;
    index(hash, key, at);
  }

  /** The newest record for {@code key}, or {@code null}. */
  public Found find(byte[] key) {
    int hash = hash(key);
    int mask = slots.length - 1;
    for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && keyEquals(slots[i] - 1, key)) {
        long at = slots[i] - 1;
        read(at, scratch, HEADER_BYTES);
        int length = getInt(scratch, 0);
        int keyLen = getInt(scratch, 8);
        byte[] json = new byte[length - HEADER_BYTES - keyLen];
        read(at + HEADER_BYTES + keyLen, json, json.length);
        return new Found(getLong(scratch, 12), getLong(scratch, 20), scratch[28] == 1, json);
      }
    }
    return null;
  }

  /** Expiry time of the oldest record; only valid when {@link #size()} is positive. */
  public long oldestExpiresAt() {
    read(head, scratch, HEADER_BYTES);
    return getLong(scratch, 20);
  }

  /** Removes the oldest record. */
  public void removeOldest() {
    if (size == 0) {
      throw new IllegalStateException("log is empty");
    }
    read(head, scratch, HEADER_BYTES);
    int length = getInt(scratch, 0);
    int hash = getInt(scratch, 4);
    unindex(hash, head);
    payloadBytes -= length - HEADER_BYTES;
    head += length;
    while (count > 1 && head - base >= CHUNK_SIZE) {
      recycle(ring[first]);
      ring[first] = null;
      first = (first + 1) & (ring.length - 1);
      count--;
      base += CHUNK_SIZE;
    }
    if (size == 0) {
      // Empty: restart at the first chunk, so a quiet store holds one chunk.
      while (count > 1) {
        int last = (first + count - 1) & (ring.length - 1);
        recycle(ring[last]);
        ring[last] = null;
        count--;
      }
      head = tail = base;
    }
  }

  private void recycle(byte[] chunk) {
    if (spare.size() < SPARE_CHUNKS) {
      spare.push(chunk);
    }
  }

  private void ensureCapacity(int length) {
    long needed = tail + length;
    while (base + (long) count * CHUNK_SIZE < needed) {
      if (count == ring.length) {
        byte[][] bigger = new byte[ring.length * 2][];
        for (int i = 0; i < count; i++) {
          bigger[i] = ring[(first + i) & (ring.length - 1)];
        }
        ring = bigger;
        first = 0;
      }
      byte[] chunk = spare.poll();
      ring[(first + count) & (ring.length - 1)] = chunk != null ? chunk : new byte[CHUNK_SIZE];
      count++;
    }
  }

  private void write(long at, byte[] src, int len) {
    copy(at, src, len, true);
  }

  private void read(long at, byte[] dst, int len) {
    copy(at, dst, len, false);
  }

  /** Copies {@code len} bytes between the log at {@code at} and {@code bytes}, chunk by chunk. */
  private void copy(long at, byte[] bytes, int len, boolean intoLog) {
    int off = 0;
    while (off < len) {
      long rel = at + off - base;
      byte[] chunk = chunk(rel);
      int in = (int) (rel & CHUNK_MASK);
      int n = Math.min(len - off, CHUNK_SIZE - in);
      if (intoLog) {
        System.arraycopy(bytes, off, chunk, in, n);
      } else {
        System.arraycopy(chunk, in, bytes, off, n);
      }
      off += n;
    }
  }

  private byte[] chunk(long rel) {
    int index = (int) (rel >>> CHUNK_SHIFT);
    if (rel < 0 || index >= count) {
      throw new IllegalStateException("position outside the log: " + rel);
    }
    return ring[(first + index) & (ring.length - 1)];
  }

  private boolean keyEquals(long at, byte[] key) {
    read(at + 8, scratch, 4);
    if (getInt(scratch, 0) != key.length) {
      return false;
    }
    long start = at + HEADER_BYTES;
    for (int off = 0; off < key.length; ) {
      long rel = start + off - base;
      byte[] chunk = chunk(rel);
      int in = (int) (rel & CHUNK_MASK);
      int n = Math.min(key.length - off, CHUNK_SIZE - in);
      if (!Arrays.equals(chunk, in, in + n, key, off, off + n)) {
        return false;
      }
      off += n;
    }
    return true;
  }

  private void index(int hash, byte[] key, long at) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = hash & mask;
    while (slots[i] != 0) {
      if (hashes[i] == hash && keyEquals(slots[i] - 1, key)) {
        slots[i] = at + 1; // the newer record replaces the older one in the index
        size++; // the old record still counts until it leaves the head
        return;
      }
      i = (i + 1) & mask;
    }
    slots[i] = at + 1;
    hashes[i] = hash;
    size++;
  }

  private void unindex(int hash, long at) {
    size--;
    int mask = slots.length - 1;
    int i = hash & mask;
    while (slots[i] != 0 && slots[i] != at + 1) {
      i = (i + 1) & mask;
    }
    if (slots[i] == 0) {
      return; // replaced by a newer record of the same key
    }
    // Backward-shift deletion: move later members of the probe run into the hole.
    int hole = i;
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        slots[hole] = slots[j];
        hashes[hole] = hashes[j];
        hole = j;
      }
    }
    slots[hole] = 0;
  }

  private void grow() {
    long[] oldSlots = slots;
    int[] oldHashes = hashes;
    slots = new long[oldSlots.length * 2];
    hashes = new int[oldSlots.length * 2];
    int mask = slots.length - 1;
    for (int k = 0; k < oldSlots.length; k++) {
      if (oldSlots[k] != 0) {
        int i = oldHashes[k] & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = oldSlots[k];
        hashes[i] = oldHashes[k];
      }
    }
  }

  private static int hash(byte[] key) {
    int h = Arrays.hashCode(key) * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8
        | (b[at + 3] & 0xff);
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  private static long getLong(byte[] b, int at) {
    return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
  }
}

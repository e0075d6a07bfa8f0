package io.keelrpc.examples.kv.storage;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link KvStorage} in memory: fast, and gone when the process ends. Each put is one atomic
 * {@link ConcurrentHashMap#compute} on its key, so writes to different keys do not contend.
 *
 * <pre>{@code
 * KvStorage kv = new InMemoryKvStorage();          // remembers 16 writer ids per key
 * KvStorage small = new InMemoryKvStorage(4);      // remembers 4
 * }</pre>
 */
public final class InMemoryKvStorage implements KvStorage {
  private final ConcurrentMap<String, KeyState> keys = new ConcurrentHashMap<>();
  private final int writerHistory;
  private volatile boolean closed;

  /** A store remembering the last {@value KvStorage#DEFAULT_WRITER_HISTORY} writer ids per key. */
  public InMemoryKvStorage() {
    this(DEFAULT_WRITER_HISTORY);
  }

  /**
   * A store remembering the writer ids of the last {@code writerHistory} writes per key.
   *
   * @throws IllegalArgumentException if {@code writerHistory < 1}
   */
  public InMemoryKvStorage(int writerHistory) {
    this.writerHistory = KeyState.checkHistory(writerHistory);
  }

  @Override
  public Optional<StoredValue> get(String key) {
    KeyState.checkKey(key);
    checkOpen();
    return Optional.ofNullable(keys.get(key)).map(KeyState::stored);
  }

  @Override
  public long put(String key, String value, long expectedVersion, String writerId) {
    KeyState.checkPut(key, value, expectedVersion);
    checkOpen();
    return keys.compute(key, (k, current) ->
        KeyState.next(k, current, value, expectedVersion, writerId, writerHistory)).version();
  }

  @Override
  public SortedMap<String, StoredValue> snapshot() {
    checkOpen();
    SortedMap<String, StoredValue> copy = new TreeMap<>();
    keys.forEach((k, s) -> copy.put(k, s.stored()));
    return Collections.unmodifiableSortedMap(copy);
  }

  /** Forgets nothing (there is nothing to release) but refuses later calls. */
  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("in-memory KV storage: closed");
    }
  }

  @Override
  public String toString() {
    return "InMemoryKvStorage{keys=" + keys.size() + ", writerHistory=" + writerHistory + "}";
  }
}

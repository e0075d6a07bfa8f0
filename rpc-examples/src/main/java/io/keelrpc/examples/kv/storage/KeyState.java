package io.keelrpc.examples.kv.storage;

import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key's state as the in-memory and file backends keep it: value, version, and the writer ids
 * of the key's last writes. Immutable; {@link #next} applies the {@link KvStorage} contract.
 *
 * <p>A key's versions are 1, 2, 3, ... with no gaps, so the last {@code n} writes are exactly the
 * versions {@code version - n + 1 .. version}: {@code writers[i]} produced version
 * {@code version - writers.length + 1 + i}, and the last element produced the current version.
 */
final class KeyState {
  private final String value;
  private final long version;
  private final String[] writers;

  private KeyState(String value, long version, String[] writers) {
    this.value = value;
    this.version = version;
    this.writers = writers;
  }

  /**
   * A state read back from a log.
   *
   * @param writers the writer ids of the last {@code writers.length} versions, oldest first; the
   *     last one produced {@code version}; elements may be null
   * @throws IllegalArgumentException if the history is empty or longer than the versions
   */
  static KeyState restored(String value, long version, String[] writers) {
    Objects.requireNonNull(value, "value");
    if (version < 1 || writers.length < 1 || writers.length > version) {
      throw new IllegalArgumentException("version " + version + " with " + writers.length
          + " remembered writers (expected: version >= 1, 1..version writers)");
    }
    return new KeyState(value, version, writers.clone());
  }

  /**
   * The state after {@code put(key, value, expectedVersion, writerId)} on {@code current}
   * ({@code null}: the key does not exist), remembering the last {@code history} writer ids.
   *
   * @throws VersionMismatchException if {@code writerId} is remembered or the version differs
   * @throws KeyExistsException if a create found the key
   * @throws KeyNotFoundException if an update found no key
   */
  static KeyState next(String key, KeyState current, String value, long expectedVersion,
      String writerId, int history) {
    if (current != null && writerId != null) {
      Long applied = current.versionWrittenBy(writerId);
      if (applied != null) {
        throw new VersionMismatchException(key, expectedVersion, current.version,
            current.writerId(), applied);
      }
    }
    if (current == null) {
      if (expectedVersion > 0) {
        throw new KeyNotFoundException(key);
      }
      return new KeyState(value, 1, new String[] {writerId});
    }
    if (expectedVersion == 0) {
      throw new KeyExistsException(key, current.version);
    }
    if (expectedVersion != current.version) {
      throw new VersionMismatchException(key, expectedVersion, current.version,
          current.writerId(), null);
    }
    return current.then(value, writerId, history);
  }

  /** The state after one more write (no checks): used when replaying a log. */
  KeyState then(String newValue, String writerId, int history) {
    int keep = Math.min(writers.length, history - 1);
    String[] next = Arrays.copyOfRange(writers, writers.length - keep, writers.length + 1);
    next[keep] = writerId;
    return new KeyState(newValue, version + 1, next);
  }

  /** The first state of a key (no checks): used when replaying a log. */
  static KeyState created(String value, String writerId) {
    return new KeyState(Objects.requireNonNull(value, "value"), 1, new String[] {writerId});
  }

  /**
   * The version {@code writerId} produced among the remembered writes, or {@code null}. Only the
   * last {@code history} are searched, so a store reopened with a smaller history forgets the
   * older ones at once.
   */
  Long versionWrittenBy(String writerId) {
    for (int i = writers.length - 1; i >= 0; i--) {
      if (writerId.equals(writers[i])) {
        return version - (writers.length - 1 - i);
      }
    }
    return null;
  }

  /** This state remembering at most {@code history} writer ids. */
  KeyState trimmed(int history) {
    return writers.length <= history ? this
        : new KeyState(value, version,
            Arrays.copyOfRange(writers, writers.length - history, writers.length));
  }

  String value() {
    return value;
  }

  long version() {
    return version;
  }

  /** The writer id that produced the current version, or null. */
  String writerId() {
    return writers[writers.length - 1];
  }

  /** The remembered writer ids, oldest first; the last produced {@link #version()}. */
  String[] writers() {
    return writers.clone();
  }

  StoredValue stored() {
    return new StoredValue(value, version, writerId());
  }

  /**
   * Checks the arguments every {@link KvStorage#put} implementation shares.
   *
   * @throws NullPointerException if {@code key} or {@code value} is null
   * @throws IllegalArgumentException if {@code key} is empty or {@code expectedVersion} negative
   */
  static void checkPut(String key, String value, long expectedVersion) {
    checkKey(key);
    Objects.requireNonNull(value, "value");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException("expectedVersion: " + expectedVersion
          + " (expected: >= 0; 0 creates)");
    }
  }

  /** Checks a key: non-null (NPE) and non-empty (IAE). */
  static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key: \"\" (expected: non-empty)");
    }
  }

  /** Checks a configured history size. */
  static int checkHistory(int history) {
    if (history < 1) {
      throw new IllegalArgumentException("writerHistory: " + history + " (expected: >= 1)");
    }
    return history;
  }
}

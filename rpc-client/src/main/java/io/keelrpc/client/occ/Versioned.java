package io.keelrpc.client.occ;

/**
 * A value read from a versioned store with the version it has and the id of the writer that
 * produced it.
 *
 * @param value the value, or {@code null} if the key does not exist
 * @param version the key's version; {@code 0} if the key does not exist
 * @param writerId the writer id of the write that produced this version, or {@code null}
 * @param <V> the value type
 */
public record Versioned<V>(V value, long version, String writerId) {

  /** Validates the version. */
  public Versioned {
    if (version < 0) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 0)");
    }
  }

  /** What a read of a key that does not exist returns: no value, version {@code 0}. */
  public static <V> Versioned<V> absent() {
    return new Versioned<>(null, 0, null);
  }

  /** True if the key exists ({@code version > 0}). */
  public boolean exists() {
    return version > 0;
  }
}

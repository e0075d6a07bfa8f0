package io.keelrpc.examples.kv.storage;

import java.util.Objects;

/**
 * What a {@link KvStorage} holds for one key: its value, its version and the writer id of the write
 * that produced that version.
 *
 * @param value the value; never {@code null}
 * @param version the key's version, {@code >= 1} (the create made version 1, each update adds 1)
 * @param writerId the writer id the producing write carried, or {@code null} if it carried none
 */
public record StoredValue(String value, long version, String writerId) {
  /** Validates the value and the version. */
  public StoredValue {
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
    }
  }
}

package io.keelrpc.client.occ;

import java.util.Objects;

/**
 * What one successful OCC update did: the version it wrote and what it took to get there.
 *
 * <p>The counts let a caller (for example a load generator) sum up per client how much
 * contention and how many network faults its updates met.
 *
 * @param written the value written, the version the store gave it and the update's writer id
 * @param conflicts how many writes were refused with a VERSION_MISMATCH that did not prove the
 *     update applied (each one cost a re-read and a recompute)
 * @param networkRetries how many store calls (reads and writes) were sent again after a network
 *     failure
 * @param modeSwitches how many times a KEY_EXISTS turned a create into an update or a
 *     KEY_NOT_FOUND turned an update into a create
 * @param ambiguousWriteRecovered true if the write was found applied by a VERSION_MISMATCH naming
 *     the update's own writer id, after its answer was lost; the update was not applied again
 * @param <V> the value type
 */
public record OccResult<V>(
    Versioned<V> written,
    int conflicts,
    int networkRetries,
    int modeSwitches,
    boolean ambiguousWriteRecovered) {

  /** Validates the arguments. */
  public OccResult {
    Objects.requireNonNull(written, "written");
    nonNegative("conflicts", conflicts);
    nonNegative("networkRetries", networkRetries);
    nonNegative("modeSwitches", modeSwitches);
  }

  private static void nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
  }
}

package io.keelrpc.core.occ;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.ApplicationException;
import java.util.Objects;

/**
 * A versioned write named a version the key no longer (or never) had.
 *
 * <p>Besides the key's {@link #actualVersion()}, the store reports {@link #writerId()}, the
 * writer id of the write that produced the actual version, and — when the rejected request's own
 * writer id is among the key's recent writes — {@link #appliedVersion()}, the version that writer
 * id produced. Either tells a retrying client that its earlier, ambiguous attempt was in fact
 * applied, so it must not apply its change again.
 */
public final class VersionMismatchException extends ApplicationException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final long expectedVersion;
  private final long actualVersion;
  private final String writerId;
  private final Long appliedVersion;

  /**
   * Creates the error.
   *
   * @param writerId writer id of the write that produced {@code actualVersion}, or {@code null}
   * @param appliedVersion version produced earlier by the rejected request's writer id, or
   *     {@code null} if the store does not remember that writer id for this key
   */
  public VersionMismatchException(
      String key, long expectedVersion, long actualVersion, String writerId, Long appliedVersion) {
    super(
        OccErrors.VERSION_MISMATCH,
        "version mismatch on '" + key + "': expected " + expectedVersion + ", actual "
            + actualVersion,
        data(key, expectedVersion, actualVersion, writerId, appliedVersion));
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
    this.writerId = writerId;
    this.appliedVersion = appliedVersion;
  }

  private static ObjectNode data(
      String key, long expectedVersion, long actualVersion, String writerId, Long appliedVersion) {
    ObjectNode data = OccErrors.data(Objects.requireNonNull(key, "key"));
    data.put("expectedVersion", expectedVersion);
    data.put("actualVersion", actualVersion);
    if (writerId != null) {
      data.put("writerId", writerId);
    }
    if (appliedVersion != null) {
      data.put("appliedVersion", appliedVersion);
    }
    return data;
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The version the rejected write expected. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The key's current version ({@code 0} if the key does not exist). */
  public long actualVersion() {
    return actualVersion;
  }

  /** The writer id of the write that produced {@link #actualVersion()}, or {@code null}. */
  public String writerId() {
    return writerId;
  }

  /**
   * The version the rejected request's writer id produced earlier, or {@code null} if the store
   * does not remember it applying that writer id to this key.
   */
  public Long appliedVersion() {
    return appliedVersion;
  }

  /**
   * True if this mismatch proves that {@code myWriterId} was already applied to the key: either
   * it wrote the current version or the store remembers the version it produced.
   */
  public boolean provesApplied(String myWriterId) {
    return appliedVersion != null || (myWriterId != null && myWriterId.equals(writerId));
  }
}

package io.keelrpc.core.occ;

import io.keelrpc.core.ApplicationException;
import java.util.Objects;

/** A create (expected version {@code 0}) found the key already present. */
public final class KeyExistsException extends ApplicationException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final long actualVersion;

  /** Creates the error for {@code key}, which exists at {@code actualVersion}. */
  public KeyExistsException(String key, long actualVersion) {
    super(
        OccErrors.KEY_EXISTS,
        "key '" + key + "' already exists at version " + actualVersion,
        OccErrors.data(Objects.requireNonNull(key, "key")).put("actualVersion", actualVersion));
    this.key = key;
    this.actualVersion = actualVersion;
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The key's current version. */
  public long actualVersion() {
    return actualVersion;
  }
}

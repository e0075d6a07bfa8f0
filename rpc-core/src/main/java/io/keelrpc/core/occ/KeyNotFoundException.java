package io.keelrpc.core.occ;

import io.keelrpc.core.ApplicationException;
import java.util.Objects;

/** An update (expected version {@code > 0}) or a read found no such key. */
public final class KeyNotFoundException extends ApplicationException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** Creates the error for {@code key}. */
  public KeyNotFoundException(String key) {
    super(
        OccErrors.KEY_NOT_FOUND,
        "key '" + key + "' not found",
        OccErrors.data(Objects.requireNonNull(key, "key")));
    this.key = key;
  }

  /** The key asked for. */
  public String key() {
    return key;
  }
}

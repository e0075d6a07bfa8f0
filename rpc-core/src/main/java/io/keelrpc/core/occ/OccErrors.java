package io.keelrpc.core.occ;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.wire.KeelJson;

/**
 * Codes of the OCC errors and the mapping from a received error answer back to its typed
 * exception.
 *
 * <pre>{@code
 * try {
 *   client.call(PUT, put);
 * } catch (ApplicationException e) {
 *   Throwable typed = OccErrors.typed(e);   // e.g. a VersionMismatchException
 * }
 * }</pre>
 */
public final class OccErrors {
  /** Code of {@link VersionMismatchException}. */
  public static final int VERSION_MISMATCH = 1001;
  /** Code of {@link KeyExistsException}. */
  public static final int KEY_EXISTS = 1002;
  /** Code of {@link KeyNotFoundException}. */
  public static final int KEY_NOT_FOUND = 1003;

  private OccErrors() {}

  /**
   * The typed OCC exception for {@code failure} if it is an {@link ApplicationException} with one
   * of the OCC codes and readable data; otherwise {@code failure} itself.
   */
  public static Throwable typed(Throwable failure) {
    if (!(failure instanceof ApplicationException)
        || failure instanceof VersionMismatchException
        || failure instanceof KeyExistsException
        || failure instanceof KeyNotFoundException) {
      return failure;
    }
    ApplicationException e = (ApplicationException) failure;
    JsonNode data = e.data();
    if (data == null || !data.isObject() || !data.hasNonNull("key")) {
      return failure;
    }
    String key = data.get("key").asText();
    switch (e.code()) {
      case VERSION_MISMATCH:
        return new VersionMismatchException(
            key,
            data.path("expectedVersion").asLong(),
            data.path("actualVersion").asLong(),
            data.hasNonNull("writerId") ? data.get("writerId").asText() : null,
            data.hasNonNull("appliedVersion") ? data.get("appliedVersion").asLong() : null);
      case KEY_EXISTS:
        return new KeyExistsException(key, data.path("actualVersion").asLong());
      case KEY_NOT_FOUND:
        return new KeyNotFoundException(key);
      default:
        return failure;
    }
  }

  static ObjectNode data(String key) {
    ObjectNode node = KeelJson.mapper().createObjectNode();
    node.put("key", key);
    return node;
  }
}

package io.keelrpc.server.idempotency;

import java.util.Objects;

/**
 * The answer of an executed call as the idempotency store keeps it: the serialised
 * {@code result} value or {@code error} object, without id, so any duplicate can be answered with
 * its own id.
 *
 * @param error true if {@code json} is an error object
 * @param json the serialised member value (UTF-8 JSON)
 */
public record Outcome(boolean error, byte[] json) {
  /** Validates the JSON is present. */
  public Outcome {
    Objects.requireNonNull(json, "json");
  }
}

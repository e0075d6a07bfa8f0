package io.keelrpc.server.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  /** Equal when both are errors or both results, with the same JSON bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome other && error == other.error && Arrays.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(error) * 31 + Arrays.hashCode(json);
  }

  /** The outcome with its JSON as text. */
  @Override
  public String toString() {
    return (error ? "Outcome[error " : "Outcome[result ")
        + new String(json, StandardCharsets.UTF_8) + "]";
  }
}

package io.keelrpc.client.stream.resume;

/**
 * One item of a sequenced stream and its sequence number. A stream numbers its items with
 * consecutive integers, so that a receiver can tell a duplicate (a number it has seen), a gap (a
 * number it has not seen although a later one arrived) and where to resume (the number after the
 * last one it delivered).
 *
 * @param seq the item's sequence number, {@code >= 0}; consecutive items have consecutive numbers
 * @param item the payload (may be {@code null} if {@code T} allows it)
 * @param <T> the payload type
 */
public record Sequenced<T>(long seq, T item) {
  /**
   * Checks the sequence number.
   *
   * @throws IllegalArgumentException if {@code seq} is negative
   */
  public Sequenced {
    if (seq < 0) {
      throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
    }
  }
}

package io.keelrpc.bench.echo;

import java.nio.charset.StandardCharsets;

/**
 * The echoed payload of a run: {@code n} printable ASCII characters, so that its UTF-8 bytes, its
 * JSON string and its Java string all have length {@code n} and need no escaping.
 */
public final class Payload {
  private final byte[] bytes;
  private final String text;

  private Payload(byte[] bytes) {
    this.bytes = bytes;
    this.text = new String(bytes, StandardCharsets.US_ASCII);
  }

  /** A payload of {@code n} letters ({@code abc...zabc...}). */
  public static Payload ofSize(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
    }
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return new Payload(b);
  }

  /** The ASCII bytes; shared, never modify. */
  public byte[] bytes() {
    return bytes;
  }

  /** The same characters as a string. */
  public String text() {
    return text;
  }

  /** The length in bytes (= characters). */
  public int size() {
    return bytes.length;
  }
}

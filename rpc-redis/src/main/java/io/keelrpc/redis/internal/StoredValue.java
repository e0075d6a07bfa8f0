package io.keelrpc.redis.internal;

import io.keelrpc.server.idempotency.Outcome;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value kept under an idempotency key in Redis: one kind byte, the 8-byte fingerprint, then
 * for a claim ({@code 'P'}) the claim's unique token, for an outcome ({@code 'R'} result,
 * {@code 'E'} error) the outcome's JSON. A claim is owned by whoever holds its exact bytes, so the
 * scripts compare values, not tokens.
 */
public final class StoredValue {
  /** A claim: an execution is running (its lease is the key's expiry). */
  public static final byte PENDING = 'P';
  /** A completed execution whose outcome is a result. */
  public static final byte RESULT = 'R';
  /** A completed execution whose outcome is an error. */
  public static final byte ERROR = 'E';

  private static final int HEADER = 9;

  private StoredValue() {}

  /** A claim by {@code token} of a key for a call with {@code fingerprint}. */
  public static byte[] pending(long fingerprint, byte[] token) {
    return ByteBuffer.allocate(HEADER + token.length)
        .put(PENDING).putLong(fingerprint).put(token).array();
  }

  /** The record of a completed execution. */
  public static byte[] done(long fingerprint, Outcome outcome) {
    byte[] json = outcome.json();
    return ByteBuffer.allocate(HEADER + json.length)
        .put(outcome.error() ? ERROR : RESULT).putLong(fingerprint).put(json).array();
  }

  /** The kind byte, or 0 if {@code value} is not one of ours. */
  public static byte kind(byte[] value) {
    if (value.length < HEADER) {
      return 0;
    }
    byte k = value[0];
    return k == PENDING || k == RESULT || k == ERROR ? k : 0;
  }

  /** The fingerprint of a value whose {@link #kind} is not 0. */
  public static long fingerprint(byte[] value) {
    return ByteBuffer.wrap(value, 1, 8).getLong();
  }

  /** The outcome of a {@link #RESULT} or {@link #ERROR} value. */
  public static Outcome outcome(byte[] value) {
    return new Outcome(value[0] == ERROR, Arrays.copyOfRange(value, HEADER, value.length));
  }
}

package io.keelrpc.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names a remote method and the Java types of its params and result, shared by the server that
 * implements it and the clients that call it.
 *
 * <p>A method marked {@linkplain #readOnly() read-only} has no effects: the server skips the
 * idempotency cache for it and clients may retry it after any failure that may have executed it.
 *
 * <pre>{@code
 * record IncParams(String key, Long delta) {}
 * record Counter(String key, long value) {}
 * static final MethodDescriptor<IncParams, Counter> INC =
 *     MethodDescriptor.of("inc", IncParams.class, Counter.class);
 * static final MethodDescriptor<KeyParams, Counter> GET =
 *     MethodDescriptor.of("get", KeyParams.class, Counter.class).asReadOnly();
 * }</pre>
 *
 * @param <P> params type, bound from the request's {@code params} by Jackson
 * @param <R> result type, written as the response's {@code result} by Jackson
 */
public final class MethodDescriptor<P, R> {
  /** Longest method name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 256;

  /**
   * Names starting with this prefix are reserved for protocol messages such as
   * {@link io.keelrpc.core.wire.CancelNotification $/cancel} and refused as method names.
   */
  public static final String RESERVED_PREFIX = "$/";

  private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl}]+");

  private final String name;
  private final Class<P> paramsType;
  private final Class<R> resultType;
  private final boolean readOnly;

  private MethodDescriptor(String name, Class<P> paramsType, Class<R> resultType, boolean readOnly) {
    this.name = name;
    this.paramsType = paramsType;
    this.resultType = resultType;
    this.readOnly = readOnly;
  }

  /**
   * A descriptor of a method with effects.
   *
   * @throws IllegalArgumentException if the name is empty, too long, holds spaces or control
   *     characters, or starts with the reserved prefix {@value #RESERVED_PREFIX}
   */
  public static <P, R> MethodDescriptor<P, R> of(
      String name, Class<P> paramsType, Class<R> resultType) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(paramsType, "paramsType");
    Objects.requireNonNull(resultType, "resultType");
    if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name: \"" + name + "\" (expected: 1.." + MAX_NAME_LENGTH
              + " characters, no whitespace or control characters)");
    }
    if (name.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException("name: \"" + name + "\" (expected: not starting with \""
          + RESERVED_PREFIX + "\", which is reserved for protocol messages such as $/cancel)");
    }
    return new MethodDescriptor<>(name, paramsType, resultType, false);
  }

  /** A copy of this descriptor marked read-only. */
  public MethodDescriptor<P, R> asReadOnly() {
    return new MethodDescriptor<>(name, paramsType, resultType, true);
  }

  /** The method name as sent on the wire. */
  public String name() {
    return name;
  }

  /** The Java type the request's params bind to. */
  public Class<P> paramsType() {
    return paramsType;
  }

  /** The Java type of the result. */
  public Class<R> resultType() {
    return resultType;
  }

  /** True if calling the method has no effects. */
  public boolean readOnly() {
    return readOnly;
  }

  @Override
  public String toString() {
    return name + "(" + paramsType.getSimpleName() + ") -> " + resultType.getSimpleName()
        + (readOnly ? " [read-only]" : "");
  }
}

package io.keelrpc.core.service.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import io.keelrpc.core.MethodDescriptor;
import java.lang.reflect.Method;
import java.util.List;

/**
 * One remote method of a service interface, as {@link ServiceModel} mapped it: its wire name and
 * descriptor, how its Java arguments become the request's params, and how the result comes back.
 *
 * <p>The descriptor's params and result types are the Java types themselves (primitives boxed)
 * when a {@code Class} describes them fully; a parameterised type such as {@code List<Item>} is
 * carried as {@code JsonNode} instead and bound here with {@link #paramReaders()} and
 * {@link #resultReader()}, since the call engines bind by {@code Class}.
 */
public final class ServiceMethod {
  /** How the arguments of a call become its params. */
  public enum ParamsShape {
    /** No parameters: the request has no params. */
    NONE,
    /** One parameter written as a JSON object or array: it is the params. */
    SINGLE,
    /**
     * One parameter written as a JSON string, number or boolean (params must be structured): it
     * is sent as a one-element array, which servers unwrap.
     */
    SINGLE_WRAPPED,
    /** Two or more parameters: the params are an array holding each argument in order. */
    POSITIONAL
  }

  private final Method method;
  private final String display;
  private final MethodDescriptor<Object, Object> descriptor;
  private final ParamsShape shape;
  private final List<JavaType> paramTypes;
  private final List<ObjectReader> paramReaders;
  private final boolean paramsBridged;
  private final JavaType resultType;
  private final ObjectReader resultReader;
  private final boolean async;
  private final boolean idempotent;
  private final boolean nonBlocking;

  ServiceMethod(Method method, String display, MethodDescriptor<Object, Object> descriptor,
      ParamsShape shape, List<JavaType> paramTypes, List<ObjectReader> paramReaders,
      boolean paramsBridged, JavaType resultType, ObjectReader resultReader, boolean async,
      boolean idempotent, boolean nonBlocking) {
    this.method = method;
    this.display = display;
    this.descriptor = descriptor;
    this.shape = shape;
    this.paramTypes = paramTypes;
    this.paramReaders = paramReaders;
    this.paramsBridged = paramsBridged;
    this.resultType = resultType;
    this.resultReader = resultReader;
    this.async = async;
    this.idempotent = idempotent;
    this.nonBlocking = nonBlocking;
  }

  /** The Java method (for a method inherited twice, the one with the most specific result). */
  public Method method() {
    return method;
  }

  /** {@code CounterApi.inc(String, long)}: how messages name the method. */
  public String display() {
    return display;
  }

  /** The descriptor calls are made and registered with; read-only if marked so. */
  public MethodDescriptor<Object, Object> descriptor() {
    return descriptor;
  }

  /** The wire name. */
  public String name() {
    return descriptor.name();
  }

  /** How the arguments become the params. */
  public ParamsShape shape() {
    return shape;
  }

  /** The resolved type of each parameter, in order. */
  public List<JavaType> paramTypes() {
    return paramTypes;
  }

  /**
   * Readers for each parameter type, in order, used when the descriptor's params type is
   * {@code JsonNode} ({@link #paramsBridged()}).
   */
  public List<ObjectReader> paramReaders() {
    return paramReaders;
  }

  /**
   * True if the descriptor's params type is {@code JsonNode} standing for the real types (several
   * parameters, or one parameterised type): the server binds each argument with
   * {@link #paramReaders()}.
   */
  public boolean paramsBridged() {
    return paramsBridged;
  }

  /** The resolved result type; for an asynchronous method, the stage's type argument. */
  public JavaType resultType() {
    return resultType;
  }

  /**
   * The reader of a result the descriptor carries as {@code JsonNode} (a parameterised result
   * type), or {@code null} if the descriptor's result type is already the result's class.
   */
  public ObjectReader resultReader() {
    return resultReader;
  }

  /** True if the method returns a primitive (not void), so a {@code null} result is an error. */
  public boolean primitiveResult() {
    return !async && method.getReturnType().isPrimitive() && method.getReturnType() != void.class;
  }

  /** True if the method returns {@code CompletionStage} or {@code CompletableFuture}. */
  public boolean async() {
    return async;
  }

  /** True if marked {@code @Idempotent} or {@code @ReadOnly}: calls may be sent more than once. */
  public boolean idempotent() {
    return idempotent;
  }

  /** True if marked {@code @ReadOnly}. */
  public boolean readOnly() {
    return descriptor.readOnly();
  }

  /** True if marked {@code @NonBlocking}: a server runs it on the I/O thread. */
  public boolean nonBlocking() {
    return nonBlocking;
  }

  @Override
  public String toString() {
    return display + " -> \"" + name() + "\"";
  }
}

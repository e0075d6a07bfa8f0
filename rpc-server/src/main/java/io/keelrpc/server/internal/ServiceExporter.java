package io.keelrpc.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.service.internal.ServiceMethod;
import io.keelrpc.core.service.internal.ServiceMethod.ParamsShape;
import io.keelrpc.core.service.internal.ServiceModel;
import io.keelrpc.server.AsyncHandler;
import io.keelrpc.server.Handler;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns an implementation of a service interface into registrations, one per remote method as
 * {@link ServiceModel} maps it: plain results run on the worker pool (or the I/O thread if
 * {@code @NonBlocking}), {@code CompletionStage} results as asynchronous handlers, read-only
 * methods outside the idempotency cache.
 */
public final class ServiceExporter {
  /** One registration and the Java method it calls, for messages. */
  public record Exported(String javaMethod, Registration<?, ?> registration) {}

  private ServiceExporter() {}

  /**
   * The registrations serving {@code type} with {@code impl}.
   *
   * @throws IllegalArgumentException if {@code type} cannot be mapped, {@code impl} does not
   *     implement it, or a method cannot be invoked from here (a package the module does not open)
   */
  public static List<Exported> export(Class<?> type, Object impl) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(impl, "impl");
    ServiceModel model = ServiceModel.of(type);
    if (!type.isInstance(impl)) {
      throw new IllegalArgumentException("impl: " + impl.getClass().getName()
          + " (expected: an implementation of " + type.getName() + ")");
    }
    List<Exported> out = new ArrayList<>();
    for (ServiceMethod sm : model.methods()) {
      Method m = sm.method();
      if (!m.canAccess(impl) && !m.trySetAccessible()) {
        throw new IllegalArgumentException(sm.display() + ": not accessible to Keel (expected: a"
            + " public interface, or its package opened to io.keelrpc.server)");
      }
      out.add(new Exported(sm.display(), registration(sm, impl)));
    }
    return out;
  }

  private static Registration<Object, Object> registration(ServiceMethod sm, Object impl) {
    MethodDescriptor<Object, Object> d = sm.descriptor();
    if (sm.async()) {
      AsyncHandler<Object, Object> h = (params, ctx) -> invokeAsync(sm, impl, params);
      return Registration.async(d, h);
    }
    Handler<Object, Object> h = (params, ctx) -> invoke(sm, impl, args(sm, params));
    return sm.nonBlocking() ? Registration.inline(d, h) : Registration.sync(d, h);
  }

  @SuppressWarnings("unchecked")
  private static CompletionStage<Object> invokeAsync(ServiceMethod sm, Object impl,
      Object params) {
    try {
      CompletionStage<Object> stage = (CompletionStage<Object>) invoke(sm, impl, args(sm, params));
      if (stage == null) {
        throw new NullPointerException(sm.display() + " returned null (expected: a stage)");
      }
      return stage;
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Object invoke(ServiceMethod sm, Object impl, Object[] args) throws Exception {
    try {
      return sm.method().invoke(impl, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** The Java arguments from the params the engine bound to the descriptor's params type. */
  static Object[] args(ServiceMethod sm, Object params) {
    if (sm.shape() == ParamsShape.NONE) {
      return new Object[0];
    }
    if (!sm.paramsBridged()) {
      return new Object[] {params};
    }
    JsonNode tree = (JsonNode) params;
    if (sm.shape() == ParamsShape.POSITIONAL) {
      return positional(sm, tree);
    }
    JavaType type = sm.paramTypes().get(0);
    boolean unwrap = sm.shape() == ParamsShape.SINGLE_WRAPPED
        || !type.isArrayType() && !type.isCollectionLikeType();
    if (tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode(); // absent params, as the engine binds them
    } else if (unwrap && tree.isArray() && tree.size() == 1) {
      tree = tree.get(0);
    }
    Object value = bind(sm.paramReaders().get(0), tree, type, "");
    if (value == null) {
      throw new InvalidParamsException("params must not be null for "
          + ServiceModel.typeName(type));
    }
    return new Object[] {value};
  }

  private static Object[] positional(ServiceMethod sm, JsonNode tree) {
    List<JavaType> types = sm.paramTypes();
    if (!tree.isArray() || tree.size() != types.size()) {
      throw new InvalidParamsException("params: " + describe(tree) + " (expected: an array of "
          + types.size() + " positional params " + signature(types) + ")");
    }
    Object[] args = new Object[types.size()];
    for (int i = 0; i < args.length; i++) {
      JavaType type = types.get(i);
      args[i] = bind(sm.paramReaders().get(i), tree.get(i), type, "[" + i + "]");
      if (args[i] == null && type.isPrimitive()) {
        throw new InvalidParamsException("params[" + i + "]: null (expected: a "
            + ServiceModel.typeName(type) + ")");
      }
    }
    return args;
  }

  private static Object bind(ObjectReader reader, JsonNode tree, JavaType type, String where) {
    try {
      return reader.readValue(tree);
    } catch (JsonProcessingException e) {
      throw new InvalidParamsException("params" + where + " do not bind to "
          + ServiceModel.typeName(type) + ": " + ParamsBinder.forCaller(e.getOriginalMessage()));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidParamsException("params" + where + " do not bind to "
          + ServiceModel.typeName(type) + ": " + e.getMessage());
    }
  }

  private static String describe(JsonNode tree) {
    return tree.isArray() ? "an array of " + tree.size()
        : tree.isNull() ? "none" : tree.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String signature(List<JavaType> types) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < types.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(ServiceModel.typeName(types.get(i)));
    }
    return sb.append(')').toString();
  }
}

package io.keelrpc.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.service.internal.ServiceMethod;
import io.keelrpc.core.service.internal.ServiceModel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Makes {@link KeelClient#proxy(Class, CallOptions)} proxies: each remote method of the interface
 * becomes a call through the client, mapped by {@link ServiceModel}.
 */
public final class ProxyFactory {
  private ProxyFactory() {}

  /**
   * A proxy of {@code type} calling through {@code client} with {@code options}.
   *
   * @throws IllegalArgumentException if {@code type} cannot be mapped, or {@code options} carry an
   *     idempotency key
   */
  public static <T> T create(KeelClient client, Class<T> type, CallOptions options) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(options, "options");
    if (options.idempotencyKey() != null) {
      throw new IllegalArgumentException("options.idempotencyKey: \"" + options.idempotencyKey()
          + "\" (expected: none; a proxy's options apply to every call, and calls sharing a key"
          + " run once)");
    }
    ServiceModel model = ServiceModel.of(type);
    Map<ServiceMethod, RemoteCall> calls = new HashMap<>();
    for (ServiceMethod sm : model.methods()) {
      calls.put(sm, new RemoteCall(client, sm, sm.idempotent() ? idempotent(options) : options));
    }
    Map<Method, MethodHandle> defaults = new HashMap<>();
    for (Method m : type.getMethods()) {
      if (m.isDefault()) {
        defaults.put(m, specialHandle(m));
      }
    }
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new Handler(type, model, calls, defaults)));
  }

  /**
   * {@code options} with {@code idempotent(true)}: a method's mark wins over the proxy's options.
   * Every other setting, listeners included, is kept.
   */
  static CallOptions idempotent(CallOptions options) {
    if (Boolean.TRUE.equals(options.idempotent())) {
      return options;
    }
    return options.toBuilder().idempotent(true).build();
  }

  /**
   * A handle running the default method's own body, or {@code null} to use
   * {@link InvocationHandler#invokeDefault}. The latter refuses interfaces this package cannot
   * access (a package-private interface); a private lookup reaches those where the module allows.
   */
  private static MethodHandle specialHandle(Method m) {
    Class<?> declaring = m.getDeclaringClass();
    if (Modifier.isPublic(declaring.getModifiers()) && declaring.getEnclosingClass() == null) {
      return null;
    }
    try {
      return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup())
          .unreflectSpecial(m, declaring);
    } catch (IllegalAccessException | SecurityException e) {
      return null;
    }
  }

  /** One remote method bound to the client and its options. */
  private static final class RemoteCall {
    private final KeelClient client;
    private final ServiceMethod sm;
    private final CallOptions options;

    RemoteCall(KeelClient client, ServiceMethod sm, CallOptions options) {
      this.client = client;
      this.sm = sm;
      this.options = options;
    }

    Object invoke(Object[] args) {
      Object params = params(args);
      if (!sm.async()) {
        return result(client.call(sm.descriptor(), params, options));
      }
      CompletableFuture<Object> call = client.callAsync(sm.descriptor(), params, options);
      if (sm.resultReader() == null) {
        return call;
      }
      CompletableFuture<Object> out = new CompletableFuture<>();
      call.whenComplete((value, failure) -> {
        if (failure != null) {
          out.completeExceptionally(failure);
          return;
        }
        try {
          out.complete(result(value));
        } catch (RuntimeException e) {
          out.completeExceptionally(e);
        }
      });
      out.whenComplete((value, failure) -> {
        if (failure instanceof CancellationException) {
          call.cancel(false);
        }
      });
      return out;
    }

    private Object params(Object[] args) {
      switch (sm.shape()) {
        case NONE:
          return null;
        case SINGLE:
          return Objects.requireNonNull(args[0], () -> sm.display()
              + ": the argument is null (expected: a value; it is the call's params)");
        case SINGLE_WRAPPED:
          return List.of(Objects.requireNonNull(args[0], () -> sm.display()
              + ": the argument is null (expected: a value; it is the call's params)"));
        default:
          return Arrays.asList(args.clone());
      }
    }

    private Object result(Object value) {
      if (sm.resultReader() != null && value != null) {
        try {
          value = sm.resultReader().readValue((JsonNode) value);
        } catch (IOException | IllegalArgumentException e) {
          throw new ResponseDecodingException("the result of \"" + sm.name()
              + "\" does not bind to " + ServiceModel.typeName(sm.resultType()) + ": "
              + e.getMessage(), e);
        }
      }
      if (value == null && sm.primitiveResult()) {
        throw new ResponseDecodingException("the result of \"" + sm.name() + "\" is null"
            + " (expected: a value of type " + sm.method().getReturnType() + " for "
            + sm.display() + ")", null);
      }
      return value;
    }
  }

  /** Routes the proxy's methods: Object methods, default methods, remote calls. */
  private static final class Handler implements InvocationHandler {
    private final Class<?> type;
    private final ServiceModel model;
    private final Map<ServiceMethod, RemoteCall> calls;
    private final Map<Method, MethodHandle> defaults;

    Handler(Class<?> type, ServiceModel model, Map<ServiceMethod, RemoteCall> calls,
        Map<Method, MethodHandle> defaults) {
      this.type = type;
      this.model = model;
      this.calls = calls;
      this.defaults = defaults;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      ServiceMethod sm = model.method(method);
      if (sm != null) {
        return calls.get(sm).invoke(args);
      }
      if (method.isDefault()) {
        MethodHandle special = defaults.get(method);
        if (special == null) {
          return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Object[] all = new Object[1 + (args == null ? 0 : args.length)];
        all[0] = proxy;
        if (args != null) {
          System.arraycopy(args, 0, all, 1, args.length);
        }
        return special.invokeWithArguments(all);
      }
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "KeelProxy[" + type.getName() + "]";
        default:
          throw new UnsupportedOperationException(method + " is not a remote method");
      }
    }
  }
}

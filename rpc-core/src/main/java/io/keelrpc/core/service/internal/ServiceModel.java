package io.keelrpc.core.service.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.service.Idempotent;
import io.keelrpc.core.service.KeelMethod;
import io.keelrpc.core.service.KeelService;
import io.keelrpc.core.service.NonBlocking;
import io.keelrpc.core.service.ReadOnly;
import io.keelrpc.core.service.internal.ServiceMethod.ParamsShape;
import io.keelrpc.core.wire.KeelJson;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The remote methods of a service interface, mapped and validated once, shared by client proxies
 * and server exports so that both sides agree on every name and shape.
 *
 * <p>The rules are documented in {@code io.keelrpc.core.service}'s package documentation. Every
 * violation is an {@link IllegalArgumentException} naming the interface and the method.
 */
public final class ServiceModel {
  private static final Pattern PREFIX = Pattern.compile("[^\\s\\p{Cntrl}]+");
  private static final List<Class<? extends Annotation>> MARKS =
      List.of(KeelMethod.class, Idempotent.class, ReadOnly.class, NonBlocking.class);

  private static final ClassValue<ServiceModel> CACHE = new ClassValue<>() {
    @Override
    protected ServiceModel computeValue(Class<?> type) {
      return map(type);
    }
  };

  private final Class<?> type;
  private final List<ServiceMethod> methods;
  private final Map<Method, ServiceMethod> byMethod;

  private ServiceModel(Class<?> type, List<ServiceMethod> methods,
      Map<Method, ServiceMethod> byMethod) {
    this.type = type;
    this.methods = methods;
    this.byMethod = byMethod;
  }

  /**
   * Maps the remote methods of {@code type}, once per interface.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface, has type parameters or
   *     no remote method, or one of its methods cannot be mapped (the message names it)
   */
  public static ServiceModel of(Class<?> type) {
    return CACHE.get(Objects.requireNonNull(type, "type")); // a failure is not cached: thrown again
  }

  private static ServiceModel map(Class<?> type) {
    if (!type.isInterface() || type.isAnnotation()) {
      throw new IllegalArgumentException("type: " + type.getName() + " (expected: an interface)");
    }
    if (type.getTypeParameters().length > 0) {
      throw new IllegalArgumentException(type.getSimpleName() + typeParams(type.getTypeParameters())
          + ": type parameters (expected: none; extend it with the parameters fixed, e.g. interface"
          + " ItemRepo extends " + type.getSimpleName() + "<Item>)");
    }
    String prefix = prefix(type);
    ObjectMapper mapper = KeelJson.mapper();
    JavaType self = mapper.getTypeFactory().constructType(type);

    // Methods with one signature inherited from several interfaces are one remote method.
    Map<String, List<Method>> bySignature = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isBridge() || m.isSynthetic()
          || isObjectMethod(m)) {
        continue;
      }
      if (m.isDefault()) {
        for (Class<? extends Annotation> mark : MARKS) {
          if (m.isAnnotationPresent(mark)) {
            throw new IllegalArgumentException(display(m) + ": @" + mark.getSimpleName()
                + " on a default method (expected: only on abstract methods; default methods run"
                + " locally and are not remote)");
          }
        }
        continue;
      }
      bySignature.computeIfAbsent(m.getName() + Arrays.toString(m.getParameterTypes()),
          k -> new ArrayList<>()).add(m);
    }
    if (bySignature.isEmpty()) {
      throw new IllegalArgumentException(type.getSimpleName()
          + ": no abstract methods (expected: at least one remote method)");
    }

    Map<String, ServiceMethod> byName = new LinkedHashMap<>();
    Map<Method, ServiceMethod> byMethod = new HashMap<>();
    for (List<Method> group : bySignature.values()) {
      Method m = mostSpecific(group);
      ServiceMethod sm = mapMethod(m, group, prefix, self, mapper);
      ServiceMethod earlier = byName.putIfAbsent(sm.name(), sm);
      if (earlier != null) {
        throw new IllegalArgumentException(earlier.display() + " and " + sm.display()
            + ": both map to \"" + sm.name() + "\" (expected: one method per name; rename one"
            + " with @KeelMethod)");
      }
      for (Method each : group) {
        byMethod.put(each, sm);
      }
    }
    List<ServiceMethod> sorted = new ArrayList<>(byName.values());
    sorted.sort(Comparator.comparing(ServiceMethod::name));
    return new ServiceModel(type, List.copyOf(sorted), Collections.unmodifiableMap(byMethod));
  }

  /** The interface. */
  public Class<?> type() {
    return type;
  }

  /** The remote methods, by wire name. */
  public List<ServiceMethod> methods() {
    return methods;
  }

  /** The remote method behind a method of the interface, or {@code null} if it is not remote. */
  public ServiceMethod method(Method m) {
    return byMethod.get(m);
  }

  /** {@code CounterApi.inc(String, long)}. */
  public static String display(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
            .collect(Collectors.joining(", ")) + ")";
  }

  /** A short name of a resolved type: {@code List<Item>}, {@code long[]}. */
  public static String typeName(JavaType t) {
    if (t.isArrayType()) {
      return typeName(t.getContentType()) + "[]";
    }
    StringBuilder sb = new StringBuilder(t.getRawClass().getSimpleName());
    int n = t.containedTypeCount();
    if (n > 0) {
      sb.append('<');
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : ", ").append(typeName(t.containedType(i)));
      }
      sb.append('>');
    }
    return sb.toString();
  }

  private static boolean isObjectMethod(Method m) {
    switch (m.getName()) {
      case "equals":
        return m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
      case "hashCode":
      case "toString":
        return m.getParameterCount() == 0;
      default:
        return false;
    }
  }

  private static String prefix(Class<?> type) {
    KeelService service = type.getAnnotation(KeelService.class);
    if (service == null) {
      return "";
    }
    if (!PREFIX.matcher(service.value()).matches()) {
      throw new IllegalArgumentException(type.getSimpleName() + ": @KeelService(\""
          + service.value() + "\") (expected: a non-empty prefix without whitespace or control"
          + " characters)");
    }
    return service.value() + ".";
  }

  private static Method mostSpecific(List<Method> group) {
    Method best = group.get(0);
    for (Method m : group) {
      if (best.getReturnType().isAssignableFrom(m.getReturnType())) {
        best = m;
      }
    }
    return best;
  }

  private static ServiceMethod mapMethod(Method m, List<Method> group, String prefix,
      JavaType self, ObjectMapper mapper) {
    String display = display(m);
    if (m.getTypeParameters().length > 0) {
      throw new IllegalArgumentException(display + ": type parameters "
          + typeParams(m.getTypeParameters()) + " (expected: none; a remote method's types must"
          + " be known when the proxy or export is made)");
    }
    String name = null;
    boolean readOnly = false;
    boolean idempotent = false;
    boolean nonBlocking = false;
    for (Method each : group) {
      KeelMethod explicit = each.getAnnotation(KeelMethod.class);
      String n = explicit != null ? explicit.value() : prefix + each.getName();
      if (name != null && !name.equals(n)) {
        throw new IllegalArgumentException(display + ": inherited as \"" + name + "\" and as \""
            + n + "\" (expected: one name; give the same @KeelMethod on every declaration)");
      }
      name = n;
      readOnly |= each.isAnnotationPresent(ReadOnly.class);
      idempotent |= each.isAnnotationPresent(Idempotent.class);
      nonBlocking |= each.isAnnotationPresent(NonBlocking.class);
    }

    TypeFactory tf = mapper.getTypeFactory();
    TypeBindings bindings = self.findSuperType(m.getDeclaringClass()).getBindings();

    // params
    Type[] generic = m.getGenericParameterTypes();
    List<JavaType> paramTypes = new ArrayList<>(generic.length);
    List<ObjectReader> paramReaders = new ArrayList<>(generic.length);
    for (Type g : generic) {
      JavaType t = tf.resolveMemberType(g, bindings);
      paramTypes.add(t);
      paramReaders.add(mapper.readerFor(t));
    }
    ParamsShape shape;
    Class<?> paramsClass;
    boolean paramsBridged;
    if (paramTypes.isEmpty()) {
      shape = ParamsShape.NONE;
      paramsClass = Void.class;
      paramsBridged = false;
    } else if (paramTypes.size() == 1) {
      JavaType t = paramTypes.get(0);
      shape = isScalar(t.getRawClass()) ? ParamsShape.SINGLE_WRAPPED : ParamsShape.SINGLE;
      // byte[] and char[] are written as strings: the engine would not unwrap their array
      paramsBridged = !isPlainClass(t, tf)
          || shape == ParamsShape.SINGLE_WRAPPED && t.isArrayType();
      paramsClass = paramsBridged ? JsonNode.class : box(t.getRawClass());
    } else {
      shape = ParamsShape.POSITIONAL;
      paramsClass = JsonNode.class;
      paramsBridged = true;
    }

    // result
    Class<?> raw = m.getReturnType();
    JavaType result = tf.resolveMemberType(m.getGenericReturnType(), bindings);
    boolean async = raw == CompletionStage.class || raw == CompletableFuture.class;
    if (async) {
      if (!(m.getGenericReturnType() instanceof ParameterizedType)) {
        throw new IllegalArgumentException(display + ": returns " + raw.getSimpleName()
            + " without a type argument (expected: " + raw.getSimpleName() + "<Result>, or "
            + raw.getSimpleName() + "<Void> for no result)");
      }
      result = result.containedTypeOrUnknown(0);
      if (nonBlocking) {
        throw new IllegalArgumentException(display + ": @NonBlocking on a method returning "
            + raw.getSimpleName() + " (expected: only on methods with a plain result;"
            + " asynchronous methods always start on the I/O thread)");
      }
    } else if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)) {
      throw new IllegalArgumentException(display + ": returns " + typeName(result)
          + " (expected: a plain type, CompletionStage<T> or CompletableFuture<T>)");
    }
    Class<?> resultClass;
    ObjectReader resultReader = null;
    Class<?> resultRaw = result.getRawClass();
    if (resultRaw == void.class || resultRaw == Void.class) {
      resultClass = Void.class;
    } else if (isPlainClass(result, tf)) {
      resultClass = box(resultRaw);
    } else {
      resultClass = JsonNode.class;
      resultReader = mapper.readerFor(result);
    }

    MethodDescriptor<Object, Object> descriptor;
    try {
      descriptor = descriptor(name, paramsClass, resultClass);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(display + ": wire " + e.getMessage(), e);
    }
    if (readOnly) {
      descriptor = descriptor.asReadOnly();
    }
    return new ServiceMethod(m, display, descriptor, shape, List.copyOf(paramTypes),
        List.copyOf(paramReaders), paramsBridged, result, resultReader, async,
        idempotent || readOnly, nonBlocking);
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Object, Object> descriptor(String name, Class<?> params,
      Class<?> result) {
    return MethodDescriptor.of(name, (Class<Object>) params, (Class<Object>) result);
  }

  /** True if the class alone describes {@code t} (no type arguments beyond what it declares). */
  private static boolean isPlainClass(JavaType t, TypeFactory tf) {
    return t.equals(tf.constructType(t.getRawClass()));
  }

  /** Types Jackson writes as a JSON string, number or boolean. */
  private static boolean isScalar(Class<?> c) {
    return c.isPrimitive() || Number.class.isAssignableFrom(c)
        || CharSequence.class.isAssignableFrom(c) || c == Boolean.class || c == Character.class
        || c.isEnum() || c == UUID.class || c == byte[].class || c == char[].class;
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    } else if (c == long.class) {
      return Long.class;
    } else if (c == boolean.class) {
      return Boolean.class;
    } else if (c == double.class) {
      return Double.class;
    } else if (c == float.class) {
      return Float.class;
    } else if (c == short.class) {
      return Short.class;
    } else if (c == byte.class) {
      return Byte.class;
    } else if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  private static String typeParams(TypeVariable<?>[] vars) {
    return Arrays.stream(vars).map(TypeVariable::getName)
        .collect(Collectors.joining(", ", "<", ">"));
  }
}

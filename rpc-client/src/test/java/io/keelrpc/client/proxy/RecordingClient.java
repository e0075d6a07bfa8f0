package io.keelrpc.client.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.wire.KeelJson;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link KeelClient} that sends nothing: it records each {@code callAsync} and completes it with
 * what the test's answer function returns. Its default methods ({@code call}, {@code proxy}) are
 * the real ones.
 */
final class RecordingClient {
  /** One recorded call. */
  record Call(MethodDescriptor<?, ?> method, Object params, CallOptions options) {
    /** The params as the client would serialise them. */
    String paramsJson() throws JsonProcessingException {
      return KeelJson.mapper().writeValueAsString(params);
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final KeelClient client;

  /** A client completing every call with {@code answer}'s future. */
  RecordingClient(Function<Call, CompletableFuture<Object>> answer) {
    InvocationHandler h = (proxy, method, args) -> {
      if (method.getName().equals("callAsync") && args.length == 3) {
        Call call = new Call((MethodDescriptor<?, ?>) args[0], args[1], (CallOptions) args[2]);
        calls.add(call);
        return answer.apply(call);
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (method.getName().equals("close")) {
        return null;
      }
      throw new UnsupportedOperationException(method.toString());
    };
    this.client = (KeelClient) Proxy.newProxyInstance(KeelClient.class.getClassLoader(),
        new Class<?>[] {KeelClient.class}, h);
  }

  /** A client completing every call with a {@code null} result. */
  RecordingClient() {
    this(call -> CompletableFuture.completedFuture(null));
  }

  KeelClient client() {
    return client;
  }

  /** The calls so far, in order. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The only call so far. */
  Call onlyCall() {
    if (calls.size() != 1) {
      throw new AssertionError("expected one call, got " + calls);
    }
    return calls.get(0);
  }
}

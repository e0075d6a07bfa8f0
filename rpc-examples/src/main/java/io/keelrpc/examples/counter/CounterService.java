package io.keelrpc.examples.counter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;

/**
 * Named counters, the service of seed task 1: {@code inc(key, delta)} and {@code get(key)}.
 *
 * <p>The descriptors are the contract both sides share: a server registers an implementation with
 * {@link #registerOn(KeelServer.Builder)}, a client calls {@link #INC} and {@link #GET}.
 *
 * <pre>{@code
 * CounterService counters = new InMemoryCounterService();
 * try (KeelServer server = counters.registerOn(KeelServer.builder().port(0)).start();
 *     KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
 *   client.call(CounterService.INC, new IncParams("counter", 2L));   // {"key":"counter","value":2}
 *   client.call(CounterService.GET, new KeyParams("counter"));       // {"key":"counter","value":2}
 * }
 * }</pre>
 */
public interface CounterService {
  /**
   * Params of {@code inc}: {@code {"key": "counter", "delta": 2}}.
   *
   * @param key the counter's name; required and non-empty
   * @param delta the amount to add, may be negative; {@code null} or absent adds 1
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record IncParams(String key, Long delta) {
    /** The amount to add: {@code delta}, or 1 when absent. */
    public long deltaOrDefault() {
      return delta == null ? 1 : delta;
    }
  }

  /**
   * Params of {@code get}: {@code {"key": "counter"}}.
   *
   * @param key the counter's name; required and non-empty
   */
  record KeyParams(String key) {}

  /**
   * The result of both methods: {@code {"key": "counter", "value": 6}}.
   *
   * @param key the counter's name
   * @param value its value after the call; 0 for a counter never incremented
   */
  record Counter(String key, long value) {}

  /** {@code inc}: adds {@code delta} (default 1) to the counter and returns its new value. */
  MethodDescriptor<IncParams, Counter> INC =
      MethodDescriptor.of("inc", IncParams.class, Counter.class);

  /** {@code get}: reads a counter; read-only, so the server's idempotency cache skips it. */
  MethodDescriptor<KeyParams, Counter> GET =
      MethodDescriptor.of("get", KeyParams.class, Counter.class).asReadOnly();

  /**
   * {@code Counter.Inc}: {@link #INC} under the {@code Service.Method} name a Go
   * {@code net/rpc/jsonrpc} client uses ({@code client.Call("Counter.Inc", args, &reply)}); the
   * same handler, params and result. Go clients may call {@code "inc"} too: every registered name
   * is reachable from every protocol.
   */
  MethodDescriptor<IncParams, Counter> GO_INC =
      MethodDescriptor.of("Counter.Inc", IncParams.class, Counter.class);

  /** {@code Counter.Get}: {@link #GET} under its Go-style name; read-only like it. */
  MethodDescriptor<KeyParams, Counter> GO_GET =
      MethodDescriptor.of("Counter.Get", KeyParams.class, Counter.class).asReadOnly();

  /**
   * Adds {@code delta} to the counter {@code key} and returns its new value.
   *
   * @throws io.keelrpc.core.InvalidParamsException if the key is missing or empty, or the sum
   *     would overflow a long
   */
  Counter inc(String key, long delta);

  /**
   * The counter's value, 0 if it was never incremented.
   *
   * @throws io.keelrpc.core.InvalidParamsException if the key is missing or empty
   */
  Counter get(String key);

  /**
   * Registers {@code inc} and {@code get} of this service on {@code server}, and their Go-style
   * aliases {@code Counter.Inc} and {@code Counter.Get}; returns it.
   */
  default KeelServer.Builder registerOn(KeelServer.Builder server) {
    return server
        .handle(INC, (p, ctx) -> inc(p.key(), p.deltaOrDefault()))
        .handle(GET, (p, ctx) -> get(p.key()))
        .handle(GO_INC, (p, ctx) -> inc(p.key(), p.deltaOrDefault()))
        .handle(GO_GET, (p, ctx) -> get(p.key()));
  }
}

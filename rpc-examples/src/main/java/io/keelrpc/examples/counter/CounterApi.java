package io.keelrpc.examples.counter;

import io.keelrpc.core.service.Idempotent;
import io.keelrpc.core.service.ReadOnly;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.examples.counter.CounterService.IncParams;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The counter service as a plain Java interface, the shortest way to use Keel: a server exports an
 * implementation with {@code KeelServer.Builder.export}, a client calls it through
 * {@code KeelClient.proxy}. It speaks the same wire contract as {@link CounterService}'s
 * descriptors ({@code "inc"} with {@link IncParams}, {@code "get"} with {@link KeyParams}), so a
 * proxy can call a {@code counter-server} and the other way round.
 *
 * <pre>{@code
 * try (KeelServer server = KeelServer.builder().port(0)
 *         .export(CounterApi.class, CounterApi.over(new InMemoryCounterService()))
 *         .start();
 *     KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
 *   CounterApi counters = client.proxy(CounterApi.class);
 *   counters.inc(new IncParams("a", 2L));                    // {"key":"a","value":2}
 *   counters.get(new KeyParams("a")).join();                 // {"key":"a","value":2}
 * }
 * }</pre>
 */
public interface CounterApi {
  /**
   * {@code "inc"}: adds {@code delta} (default 1) and returns the new value. Marked idempotent:
   * a Keel server deduplicates the attempts of one call, so a proxy may retry it after a timeout
   * without adding twice.
   */
  @Idempotent
  Counter inc(IncParams params);

  /**
   * {@code "get"}: reads a counter, asynchronously. Read-only: the server's idempotency cache
   * skips it.
   */
  @ReadOnly
  CompletableFuture<Counter> get(KeyParams params);

  /** An implementation over a {@link CounterService}, for {@code export}. */
  static CounterApi over(CounterService service) {
    Objects.requireNonNull(service, "service");
    return new CounterApi() {
      @Override
      public Counter inc(IncParams params) {
        return service.inc(params.key(), params.deltaOrDefault());
      }

      @Override
      public CompletableFuture<Counter> get(KeyParams params) {
        return CompletableFuture.completedFuture(service.get(params.key()));
      }
    };
  }
}

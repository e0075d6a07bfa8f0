package io.keelrpc.core.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where instances of services announce themselves and clients find them. Instances
 * {@link #register} with an address, tags and a TTL and keep a {@link Registration} open while
 * they serve; clients {@link #watch} a service through a {@link TagSelector}. Implementations:
 * {@link InMemoryServiceRegistry} (tests, one process) and {@code RedisServiceRegistry}
 * (module {@code rpc-redis}).
 *
 * <pre>{@code
 * // server side, after server.start():
 * Registration reg = registry.registerSelf("kv", "127.0.0.1", server.port(),
 *     Map.of("role", "worker"), Duration.ofSeconds(5));
 * reg.updateTags(Map.of("role", "draining"));      // moves traffic away
 * reg.close();                                     // deregisters
 *
 * // client side:
 * KeelClient client = KeelClient.builder()
 *     .endpointSource(RegistryEndpointSource.of(registry, "kv", TagSelector.parse("role=worker")))
 *     .build();
 * }</pre>
 */
public interface ServiceRegistry {
  /**
   * Registers {@code instance}, replacing any instance of the same service with the same id, and
   * renews it every {@code ttl / 3} until the returned registration is closed.
   *
   * @param ttl how long the instance stays visible without a renewal: the bound on how long a
   *     dead instance keeps receiving traffic (plus the watcher's delay); at least 30 ms
   * @throws IllegalArgumentException if {@code ttl} is below 30 ms
   * @throws RegistryException if the registry cannot be reached
   */
  Registration register(ServiceInstance instance, Duration ttl);

  /**
   * Delivers the live instances of {@code service} that {@code selector} matches, sorted by id:
   * the current list before returning (when the registry can be reached), then the whole list
   * again each time it changes, until the returned watch is closed. The listener may be called
   * from any thread, one call at a time per watch; it must not block.
   */
  Watch watch(String service, TagSelector selector,
      Consumer<? super List<ServiceInstance>> listener);

  /**
   * Registers a server that has bound {@code port}: {@code register(ServiceInstance.of(service,
   * advertisedHost, port, tags), ttl)}. {@code advertisedHost} is the address clients use, never
   * the wildcard the server may have bound.
   */
  default Registration registerSelf(String service, String advertisedHost, int port,
      Map<String, String> tags, Duration ttl) {
    return register(ServiceInstance.of(service, advertisedHost, port, tags), ttl);
  }

  /** Stops the deliveries of one {@link #watch} call. */
  @FunctionalInterface
  interface Watch extends AutoCloseable {
    /** Stops delivering; a list being delivered may still arrive. Idempotent. */
    @Override
    void close();
  }

  /** Smallest TTL accepted by {@link #register}. */
  Duration MIN_TTL = Duration.ofMillis(30);

  /** Throws if {@code ttl} is below {@link #MIN_TTL}; returns it otherwise. */
  static Duration checkTtl(Duration ttl) {
    java.util.Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: >= " + MIN_TTL + ")");
    }
    return ttl;
  }
}

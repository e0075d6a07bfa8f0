package io.keelrpc.client.registry;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.registry.ServiceRegistry;
import io.keelrpc.core.registry.TagSelector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An {@link EndpointSource} backed by a {@link ServiceRegistry}: the client calls the live
 * instances of one service whose tags match a selector. When an instance deregisters, expires or
 * has its tags changed so that it no longer matches, new calls stop going to it (calls in flight
 * finish); a newly matching instance is connected on first use. Among the endpoints, the client's
 * power-of-two-choices on outstanding calls and its failover work as with a static list.
 *
 * <pre>{@code
 * KeelClient client = KeelClient.builder()
 *     .endpointSource(RegistryEndpointSource.of(registry, "kv", TagSelector.parse("role=worker")))
 *     .build();
 * }</pre>
 */
public final class RegistryEndpointSource implements EndpointSource {
  private final ServiceRegistry registry;
  private final String service;
  private final TagSelector selector;

  private RegistryEndpointSource(ServiceRegistry registry, String service,
      TagSelector selector) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.service = Objects.requireNonNull(service, "service");
    this.selector = Objects.requireNonNull(selector, "selector");
  }

  /** The instances of {@code service} in {@code registry} that {@code selector} matches. */
  public static RegistryEndpointSource of(ServiceRegistry registry, String service,
      TagSelector selector) {
    return new RegistryEndpointSource(registry, service, selector);
  }

  @Override
  public Subscription subscribe(Consumer<? super List<InetSocketAddress>> listener) {
    Objects.requireNonNull(listener, "listener");
    ServiceRegistry.Watch watch = registry.watch(service, selector, instances -> {
      List<InetSocketAddress> addresses = new ArrayList<>(instances.size());
      for (ServiceInstance i : instances) {
        InetSocketAddress a = i.address();
        if (!addresses.contains(a)) {
          addresses.add(a);
        }
      }
      listener.accept(List.copyOf(addresses));
    });
    return watch::close;
  }

  @Override
  public String toString() {
    return "registry:" + service + "[" + selector + "]";
  }
}

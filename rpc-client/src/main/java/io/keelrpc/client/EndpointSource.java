package io.keelrpc.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a {@link KeelClient} finds the servers it calls: the extension point for service
 * discovery. The client subscribes once, when it is built, and unsubscribes when it is closed.
 *
 * <p>A source delivers the <em>whole</em> current list each time, never a difference. It should
 * deliver a first list before {@link #subscribe} returns, so the first calls have somewhere to
 * go; until a non-empty list arrives, calls fail with a
 * {@link io.keelrpc.core.TransportException} that is safe to retry
 * ({@code requestSent() == false}). When a later list drops an endpoint, the client stops sending
 * new calls to it and closes its connection once the calls in flight on it have ended; a new
 * endpoint is connected on first use. The listener may be called from any thread; each list
 * replaces the one before it.
 *
 * <p>{@link #of(List)} is the static source the builder's {@code endpoint(host, port)} and
 * {@code endpoints(list)} use. A discovery-backed source (DNS, a registry) implements this
 * interface:
 *
 * <pre>{@code
 * EndpointSource dns = listener -> {
 *   listener.accept(resolveNow());                       // the first list, before returning
 *   ScheduledFuture<?> poll = executor.scheduleWithFixedDelay(
 *       () -> listener.accept(resolveNow()), 30, 30, TimeUnit.SECONDS);
 *   return () -> poll.cancel(false);                     // the client was closed
 * };
 * KeelClient client = KeelClient.builder().endpointSource(dns).build();
 * }</pre>
 */
@FunctionalInterface
public interface EndpointSource {
  /**
   * Starts telling {@code listener} the endpoints to call: the current list (ideally before
   * returning), then every time it changes, until the returned subscription is closed. Each list
   * holds distinct addresses; an unresolved address is resolved on every connection attempt.
   */
  Subscription subscribe(Consumer<? super List<InetSocketAddress>> listener);

  /** Stops the deliveries of one {@link #subscribe} call. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    /** Stops delivering lists; a list being delivered may still arrive. Idempotent. */
    @Override
    void close();
  }

  /**
   * A source that delivers {@code endpoints} once and never changes.
   *
   * @throws NullPointerException if the list or one of its addresses is null
   * @throws IllegalArgumentException if the list is empty, repeats an address, or has an address
   *     with port 0
   */
  static EndpointSource of(List<InetSocketAddress> endpoints) {
    Objects.requireNonNull(endpoints, "endpoints");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
    }
    Set<InetSocketAddress> seen = new LinkedHashSet<>();
    for (InetSocketAddress a : endpoints) {
      checkEndpoint(a);
      if (!seen.add(a)) {
        throw new IllegalArgumentException("endpoints: " + a + " twice (expected: distinct)");
      }
    }
    List<InetSocketAddress> copy = List.copyOf(new ArrayList<>(seen));
    return listener -> {
      listener.accept(copy);
      return () -> { };
    };
  }

  /**
   * Checks one address: not null, port 1..65535 ({@link InetSocketAddress} already refuses
   * ports above).
   */
  private static void checkEndpoint(InetSocketAddress address) {
    Objects.requireNonNull(address, "endpoint");
    if (address.getPort() < 1) {
      throw new IllegalArgumentException("port: " + address.getPort() + " (expected: 1..65535)");
    }
  }
}

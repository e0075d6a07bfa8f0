package io.keelrpc.client.internal;

import io.keelrpc.client.EndpointSource;
import io.keelrpc.client.EndpointStatus;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The endpoints of one client and the choice of where each attempt goes. Internal: public only so
 * that tests in other packages can drive it with a fake {@link Transport} on virtual time.
 *
 * <p><b>Choice.</b> {@link #acquire(Object)} picks among the healthy endpoints by
 * power-of-two-choices: two distinct endpoints at random (from the injected random source), the
 * one with fewer {@linkplain EndpointState#load() outstanding calls} wins, the first drawn on a
 * tie. A retry passes the link its failed attempt used, and that endpoint is left out whenever
 * another healthy one exists.
 *
 * <p><b>Health.</b> A failed connection attempt or a lost link marks an endpoint down. With two
 * or more endpoints the pool reconnects a down endpoint in the background, after a jittered
 * exponential backoff from the reconnect policy (its {@code maxAttempts} is ignored: reconnects
 * go on until one succeeds or the client closes), while calls go to the others. With a single
 * endpoint there is nowhere else to go and nothing is scheduled: the next attempt reconnects.
 *
 * <p><b>All down.</b> When no endpoint is healthy an attempt does not fail at once and does not
 * wait for a backoff timer: it joins a connection attempt already in progress, else opens one to
 * the endpoint tried longest ago (not the one to avoid, if there is another). If that fails, the
 * attempt fails with a {@link TransportException} with {@code requestSent() == false}, which the
 * call's retry policy always retries within its deadline. So calls, paced by their own backoff and
 * at most one connection attempt per endpoint at a time, probe a fully failed set of endpoints.
 *
 * @param <C> the link type: a connection in production, a fake in tests
 */
public final class EndpointPool<C> {
  /** Opens and observes links; the production one is backed by Netty channels. */
  public interface Transport<C> {
    /**
     * Opens a link to {@code address}. The future fails with the cause if it cannot be opened.
     * {@code onClosed} is called once when an opened link closes, before the calls waiting on it
     * are failed.
     */
    CompletableFuture<C> open(InetSocketAddress address, Consumer<C> onClosed);

    /** True while {@code link} can carry calls. */
    boolean isOpen(C link);

    /** Calls waiting for an answer on {@code link}. */
    int outstanding(C link);

    /** Closes {@code link}; its calls fail as on any lost connection. */
    void close(C link);
  }

  private final Transport<C> transport;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final RetryPolicy reconnectBackoff;
  private final AtomicLong openSequence = new AtomicLong();
  private volatile List<EndpointState<C>> endpoints = List.of();
  private volatile boolean closed;
  private volatile boolean draining;

  // guarded by this
  private final List<EndpointState<C>> retired = new ArrayList<>();
  private EndpointSource.Subscription subscription;

  /**
   * A pool with no endpoints yet; {@link #start(EndpointSource)} gives it some.
   *
   * @param reconnectBackoff the delays of background reconnects (retry number = consecutive
   *     failures); its {@code maxAttempts} is ignored
   * @param random uniform numbers in [0, 1) for power-of-two-choices and reconnect jitter
   */
  public EndpointPool(Transport<C> transport, Scheduler scheduler, DoubleSupplier random,
      RetryPolicy reconnectBackoff) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = Objects.requireNonNull(random, "random");
    this.reconnectBackoff = Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
  }

  /** Subscribes to {@code source}; its lists replace the pool's endpoints from now on. */
  public void start(EndpointSource source) {
    EndpointSource.Subscription s = source.subscribe(this::update);
    boolean closeNow;
    synchronized (this) {
      closeNow = closed;
      subscription = s;
    }
    if (closeNow) {
      s.close();
    }
  }

  /**
   * A link for one attempt: to the healthy endpoint power-of-two-choices picks, preferring one
   * that does not own {@code avoid} (the link of the attempt that failed; null for a first
   * attempt). When no endpoint is healthy, see the class comment.
   */
  public CompletableFuture<C> acquire(C avoid) {
    if (closed) {
      return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
    }
    List<EndpointState<C>> all = endpoints;
    if (all.isEmpty()) {
      return CompletableFuture.failedFuture(new TransportException(
          "no endpoints to call (the endpoint source has not delivered any)", false, null));
    }
    return choose(all, avoid == null ? null : owner(all, avoid)).acquire();
  }

  private EndpointState<C> owner(List<EndpointState<C>> all, C link) {
    for (EndpointState<C> s : all) {
      if (s.owns(link)) {
        return s;
      }
    }
    return null;
  }

  private EndpointState<C> choose(List<EndpointState<C>> all, EndpointState<C> avoid) {
    List<EndpointState<C>> healthy = new ArrayList<>(all.size());
    for (EndpointState<C> s : all) {
      if (s != avoid && s.isHealthy()) {
        healthy.add(s);
      }
    }
    int n = healthy.size();
    if (n == 0) {
      return avoid != null && avoid.isHealthy() ? avoid : chooseWhenAllDown(all, avoid);
    }
    if (n == 1) {
      return healthy.get(0);
    }
    int i = index(random.getAsDouble(), n);
    int j = index(random.getAsDouble(), n - 1);
    if (j >= i) {
      j++;
    }
    EndpointState<C> first = healthy.get(i);
    EndpointState<C> second = healthy.get(j);
    return second.load() < first.load() ? second : first;
  }

  /** {@code floor(u * bound)}, kept in {@code [0, bound)} whatever the random source returns. */
  private static int index(double u, int bound) {
    return Math.max(0, Math.min(bound - 1, (int) (u * bound)));
  }

  /** An opening in progress if any, else the endpoint tried longest ago; avoid avoided. */
  private EndpointState<C> chooseWhenAllDown(List<EndpointState<C>> all,
      EndpointState<C> avoid) {
    EndpointState<C> best = null;
    for (EndpointState<C> s : all) {
      if (s == avoid && all.size() > 1) {
        continue;
      }
      if (s.isOpening()) {
        return s;
      }
      if (best == null || s.lastOpenSequence() < best.lastOpenSequence()) {
        best = s;
      }
    }
    return best;
  }

  /** Replaces the endpoints with {@code addresses}, keeping the state of those that stay. */
  void update(List<InetSocketAddress> addresses) {
    Objects.requireNonNull(addresses, "addresses");
    List<EndpointState<C>> gone = new ArrayList<>();
    List<EndpointState<C>> next = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      Map<InetSocketAddress, EndpointState<C>> old = new HashMap<>();
      for (EndpointState<C> s : endpoints) {
        old.put(s.address(), s);
      }
      for (InetSocketAddress a : new LinkedHashSet<>(addresses)) {
        EndpointState<C> s = old.remove(Objects.requireNonNull(a, "endpoint"));
        next.add(s != null ? s : new EndpointState<>(this, a));
      }
      gone.addAll(old.values());
      endpoints = List.copyOf(next);
      for (EndpointState<C> s : gone) {
        s.retire();
      }
      retired.addAll(gone);
      draining = !retired.isEmpty();
    }
    if (next.size() > 1) {
      for (EndpointState<C> s : next) {
        s.resumeReconnects();
      }
    }
    linkReleased();
  }

  /**
   * A call let go of a link: closes the links of removed endpoints that no call uses any more.
   * Cheap when no endpoint was removed.
   */
  public void linkReleased() {
    if (!draining) {
      return;
    }
    List<EndpointState<C>> check;
    synchronized (this) {
      check = new ArrayList<>(retired);
    }
    List<EndpointState<C>> done = new ArrayList<>();
    for (EndpointState<C> s : check) {
      if (s.closeIfDrained()) {
        done.add(s);
      }
    }
    synchronized (this) {
      retired.removeAll(done);
      draining = !retired.isEmpty();
    }
  }

  /** One snapshot per endpoint, in the source's order. */
  public List<EndpointStatus> status() {
    List<EndpointStatus> out = new ArrayList<>();
    for (EndpointState<C> s : endpoints) {
      out.add(s.status());
    }
    return out;
  }

  /** Stops reconnecting, unsubscribes and closes every link. Idempotent. */
  public void close() {
    List<EndpointState<C>> all;
    EndpointSource.Subscription s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(endpoints);
      all.addAll(retired);
      retired.clear();
      s = subscription;
    }
    if (s != null) {
      s.close();
    }
    for (EndpointState<C> e : all) {
      e.shutdown();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** True with two or more endpoints: a down one is reconnected by a timer, not by calls. */
  boolean reconnectsInBackground() {
    return endpoints.size() > 1;
  }

  Transport<C> transport() {
    return transport;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  DoubleSupplier random() {
    return random;
  }

  RetryPolicy reconnectBackoff() {
    return reconnectBackoff;
  }

  long nextOpenSequence() {
    return openSequence.incrementAndGet();
  }
}

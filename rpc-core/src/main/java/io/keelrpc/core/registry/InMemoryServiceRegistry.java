package io.keelrpc.core.registry;

import io.keelrpc.core.policy.internal.PolicyScheduler;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ServiceRegistry} in this process's memory, for tests and single-process use. Time comes
 * from the injected {@link Ticker} and {@link Scheduler}, so tests expire instances on virtual time
 * ({@code FakeClock}). Watchers are told synchronously, on the thread that made the change (or on
 * the scheduler's thread for an expiry).
 *
 * <p>{@link #withHeartbeats(Scheduler)} gives a view of the same registry whose registrations
 * renew on another scheduler: as another process sharing the registry would. A test stops that
 * scheduler's tasks to simulate a process that died without deregistering.
 */
public final class InMemoryServiceRegistry implements ServiceRegistry {
  private static final Logger log = LoggerFactory.getLogger(InMemoryServiceRegistry.class);

  private final Store store;
  private final Scheduler heartbeats;

  /**
   * A registry on {@code ticker}'s time; expiries and, by default, renewals run on
   * {@code scheduler}.
   */
  public InMemoryServiceRegistry(Ticker ticker, Scheduler scheduler) {
    this(new Store(Objects.requireNonNull(ticker, "ticker"),
        Objects.requireNonNull(scheduler, "scheduler")), scheduler);
  }

  private InMemoryServiceRegistry(Store store, Scheduler heartbeats) {
    this.store = store;
    this.heartbeats = heartbeats;
  }

  /** A registry on the system clock with a shared daemon scheduler thread. */
  public static InMemoryServiceRegistry create() {
    return new InMemoryServiceRegistry(Ticker.system(), PolicyScheduler.shared());
  }

  /** The same registry, whose registrations made through the view renew on {@code scheduler}. */
  public InMemoryServiceRegistry withHeartbeats(Scheduler scheduler) {
    return new InMemoryServiceRegistry(store, Objects.requireNonNull(scheduler, "scheduler"));
  }

  @Override
  public Registration register(ServiceInstance instance, Duration ttl) {
    Objects.requireNonNull(instance, "instance");
    ServiceRegistry.checkTtl(ttl);
    InMemoryRegistration r = new InMemoryRegistration(instance, ttl.toNanos());
    store.put(r);
    r.scheduleRenewal();
    return r;
  }

  @Override
  public Watch watch(String service, TagSelector selector,
      Consumer<? super List<ServiceInstance>> listener) {
    ServiceInstance.checkName("service", service);
    WatchImpl w = new WatchImpl(store, service, Objects.requireNonNull(selector, "selector"),
        Objects.requireNonNull(listener, "listener"));
    store.watches.add(w);
    w.refresh();
    return w;
  }

  /** The state shared by every view: live entries by service and id, and the watches. */
  private static final class Store {
    final Ticker ticker;
    final Scheduler scheduler;
    // guarded by this
    final Map<String, Map<String, InMemoryRegistration>> live = new HashMap<>();
    final List<WatchImpl> watches = new CopyOnWriteArrayList<>();

    Store(Ticker ticker, Scheduler scheduler) {
      this.ticker = ticker;
      this.scheduler = scheduler;
    }

    void put(InMemoryRegistration r) {
      synchronized (this) {
        InMemoryRegistration old = live.computeIfAbsent(r.service(), s -> new HashMap<>())
            .put(r.id(), r);
        if (old != null && old != r) {
          old.replaced();
        }
        r.expireAt(ticker.nanoTime() + r.ttlNanos);
      }
      changed(r.service());
    }

    /** Removes {@code r} if it is still the live entry; returns true if it was. */
    boolean remove(InMemoryRegistration r) {
      synchronized (this) {
        Map<String, InMemoryRegistration> byId = live.get(r.service());
        if (byId == null || !byId.remove(r.id(), r)) {
          return false;
        }
      }
      changed(r.service());
      return true;
    }

    synchronized List<ServiceInstance> matching(String service, TagSelector selector) {
      List<ServiceInstance> out = new ArrayList<>();
      for (InMemoryRegistration r : live.getOrDefault(service, Map.of()).values()) {
        ServiceInstance i = r.instance();
        if (selector.matches(i.tags())) {
          out.add(i);
        }
      }
      out.sort((a, b) -> a.id().compareTo(b.id()));
      return List.copyOf(out);
    }

    synchronized boolean isLive(InMemoryRegistration r) {
      return live.getOrDefault(r.service(), Map.of()).get(r.id()) == r;
    }

    void changed(String service) {
      for (WatchImpl w : watches) {
        if (w.service.equals(service)) {
          w.refresh();
        }
      }
    }
  }

  private final class InMemoryRegistration implements Registration {
    final long ttlNanos;
    // guarded by store
    private volatile ServiceInstance instance;
    private Scheduler.Cancellable expiry;
    private Scheduler.Cancellable renewal;
    private boolean closed;

    InMemoryRegistration(ServiceInstance instance, long ttlNanos) {
      this.instance = instance;
      this.ttlNanos = ttlNanos;
    }

    String service() {
      return instance.service();
    }

    String id() {
      return instance.id();
    }

    @Override
    public ServiceInstance instance() {
      return instance;
    }

    /** Called with the store locked: (re)arms the expiry timer. */
    void expireAt(long deadline) {
      if (expiry != null) {
        expiry.cancel();
      }
      expiry = store.scheduler.schedule(this::expireIfDue, deadline - store.ticker.nanoTime());
    }

    private void expireIfDue() {
      if (store.remove(this)) {
        log.info("registry: {} {} expired (no renewal within {} ms)", service(), id(),
            ttlNanos / 1_000_000);
      }
    }

    void scheduleRenewal() {
      synchronized (store) {
        if (!closed) {
          renewal = heartbeats.schedule(this::renew, ttlNanos / 3);
        }
      }
    }

    private void renew() {
      boolean comeBack;
      synchronized (store) {
        if (closed) {
          return;
        }
        comeBack = !store.isLive(this);
        if (!comeBack) {
          expireAt(store.ticker.nanoTime() + ttlNanos);
        }
      }
      if (comeBack) {
        store.put(this);    // expired although this process is alive (a late renewal): return
      }
      scheduleRenewal();
    }

    /** Another registration took this id: stop renewing, without removing the new one. */
    void replaced() {
      closed = true;
      if (renewal != null) {
        renewal.cancel();
      }
      if (expiry != null) {
        expiry.cancel();
      }
    }

    @Override
    public void updateTags(Map<String, String> changes) {
      Objects.requireNonNull(changes, "changes");
      synchronized (store) {
        if (closed) {
          throw new IllegalStateException("registration of " + id() + " is closed");
        }
        instance = instance.withTagChanges(changes);
      }
      store.changed(service());
    }

    @Override
    public void close() {
      synchronized (store) {
        if (closed) {
          return;
        }
        replaced();
      }
      store.remove(this);
    }
  }

  private static final class WatchImpl implements Watch {
    final String service;
    final TagSelector selector;
    final Consumer<? super List<ServiceInstance>> listener;
    private final Store store;
    private List<ServiceInstance> last;
    private volatile boolean closed;

    WatchImpl(Store store, String service, TagSelector selector,
        Consumer<? super List<ServiceInstance>> listener) {
      this.store = store;
      this.service = service;
      this.selector = selector;
      this.listener = listener;
    }

    synchronized void refresh() {
      if (closed) {
        return;
      }
      List<ServiceInstance> now = store.matching(service, selector);
      if (now.equals(last)) {
        return;
      }
      last = now;
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        log.warn("registry: watch listener of {} failed", service, e);
      }
    }

    @Override
    public void close() {
      closed = true;
      store.watches.remove(this);
    }
  }
}

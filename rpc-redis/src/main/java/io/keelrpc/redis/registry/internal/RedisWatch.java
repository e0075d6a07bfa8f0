package io.keelrpc.redis.registry.internal;

import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.registry.ServiceRegistry;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: the list of a service is read from Redis (one script call) every poll interval, and
 * at once when a change notification arrives. Reads never overlap: a notification during a read
 * starts another read when it ends. A list is delivered only when it differs from the last one.
 */
public final class RedisWatch implements ServiceRegistry.Watch {
  private static final Logger log = LoggerFactory.getLogger(RedisWatch.class);

  private final RegistryContext ctx;
  private final String service;
  private final TagSelector selector;
  private final Consumer<? super List<ServiceInstance>> listener;
  private final long pollNanos;
  private final Consumer<RedisWatch> onClose;
  // guarded by this
  private boolean reading;
  private boolean again;
  private boolean closed;
  private Scheduler.Cancellable nextPoll;
  private List<ServiceInstance> last;

  /** A watch that has not read yet; {@link #start} reads the first list. */
  public RedisWatch(RegistryContext ctx, String service, TagSelector selector,
      Consumer<? super List<ServiceInstance>> listener, long pollNanos,
      Consumer<RedisWatch> onClose) {
    this.ctx = ctx;
    this.service = service;
    this.selector = selector;
    this.listener = listener;
    this.pollNanos = pollNanos;
    this.onClose = onClose;
  }

  /** The service watched. */
  public String service() {
    return service;
  }

  /**
   * Reads and delivers the first list before returning (if Redis answers within the timeout;
   * otherwise logs and leaves it to the next poll), then polls.
   */
  public void start() {
    synchronized (this) {
      reading = true;
    }
    try {
      List<ServiceInstance> first = ctx.await(read(), "watch " + service);
      deliver(first);
    } catch (RegistryException e) {
      log.warn("registry: first read of {} failed, retrying every poll: {}", service,
          e.getMessage());
    }
    readDone();
  }

  /** Reads now (a change was announced), or right after the read in progress. */
  public void poke() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      if (nextPoll != null) {
        nextPoll.cancel();
      }
    }
    read().whenCompleteAsync((list, t) -> {
      if (t != null) {
        log.warn("registry: read of {} failed (will retry): {}", service,
            RegistryScripts.unwrap(t).toString());
      } else {
        deliver(list);
      }
      readDone();
    }, ctx.executor());
  }

  private void readDone() {
    boolean now;
    synchronized (this) {
      reading = false;
      now = again && !closed;
      again = false;
      if (!now && !closed) {
        nextPoll = ctx.scheduler().schedule(this::poke, pollNanos);
      }
    }
    if (now) {
      poke();
    }
  }

  private CompletableFuture<List<ServiceInstance>> read() {
    RegistryKeys k = ctx.keys();
    CompletableFuture<List<Object>> raw = RegistryScripts.LIST.run(ctx.redis(),
        new String[] {k.ids(service)}, k.instancePrefix(service));
    return raw.thenApply(this::parse);
  }

  private List<ServiceInstance> parse(List<Object> flat) {
    List<ServiceInstance> out = new ArrayList<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      String id = String.valueOf(flat.get(i));
      ServiceInstance inst = flat.get(i + 1) instanceof List<?> fields
          ? RegistryKeys.parse(service, id, fields) : null;
      if (inst == null) {
        log.warn("registry: ignoring malformed record {} of {}", id, service);
      } else if (selector.matches(inst.tags())) {
        out.add(inst);
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return List.copyOf(out);
  }

  private synchronized void deliver(List<ServiceInstance> list) {
    if (closed || list.equals(last)) {
      return;
    }
    last = list;
    try {
      listener.accept(list);
    } catch (RuntimeException e) {
      log.warn("registry: watch listener of {} failed", service, e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (nextPoll != null) {
        nextPoll.cancel();
      }
    }
    onClose.accept(this);
  }
}

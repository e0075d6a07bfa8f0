package io.keelrpc.redis.registry.internal;

import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's record in Redis, renewed every third of its TTL. Every write goes out on the
 * registry's single connection while this object is locked, so Redis applies them in the order
 * they were made here; a renewal that finds the record expired writes it again.
 */
public final class RedisRegistration implements Registration {
  private static final Logger log = LoggerFactory.getLogger(RedisRegistration.class);

  private static final String TAKEN_OVER = "was taken over by another registration";

  private final RegistryContext ctx;
  private final long ttlMillis;
  private final String owner = UUID.randomUUID().toString();
  private final Consumer<RedisRegistration> onClose;
  // guarded by this
  private ServiceInstance instance;
  private Scheduler.Cancellable renewal;
  private boolean closed;
  private String closedBecause = "is closed";
  private boolean dirty;    // a write whose outcome is unknown: the next renewal rewrites

  /** A registration not written yet; {@link #start} writes it. */
  public RedisRegistration(RegistryContext ctx, ServiceInstance instance, long ttlMillis,
      Consumer<RedisRegistration> onClose) {
    this.ctx = ctx;
    this.instance = instance;
    this.ttlMillis = ttlMillis;
    this.onClose = onClose;
  }

  /** Writes the record, taking the id over from any earlier owner, and starts renewing. */
  public void start() {
    CompletableFuture<Long> w;
    synchronized (this) {
      w = write(instance, true);
    }
    ctx.await(w, "register " + instance.id());
    scheduleRenewal();
  }

  @Override
  public synchronized ServiceInstance instance() {
    return instance;
  }

  private CompletableFuture<Long> write(ServiceInstance i, boolean force) {
    List<String> args = new ArrayList<>(List.of(Long.toString(ttlMillis), i.id(), owner,
        force ? "1" : "0"));
    args.addAll(List.of(RegistryKeys.fields(i)));
    return RegistryScripts.WRITE.run(ctx.redis(), keys(i), args.toArray(String[]::new));
  }

  private String[] keys(ServiceInstance i) {
    RegistryKeys k = ctx.keys();
    return new String[] {k.instance(i.service(), i.id()), k.ids(i.service()),
        k.changes(i.service())};
  }

  private synchronized void scheduleRenewal() {
    if (!closed) {
      renewal = ctx.scheduler().schedule(this::renew, ttlMillis * 1_000_000L / 3);
    }
  }

  private void renew() {
    CompletableFuture<Long> r;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (dirty) {
        dirty = false;
        r = write(instance, false);
      } else {
        r = RegistryScripts.RENEW.run(ctx.redis(), new String[] {keys(instance)[0]},
            Long.toString(ttlMillis), owner);
      }
    }
    r.thenCompose(result -> {
      if (result != null && result == 0) {
        synchronized (this) {
          log.warn("registry: {} had expired (renewal too late); writing it again",
              instance.id());
          return closed ? CompletableFuture.completedFuture(0L) : write(instance, false);
        }
      }
      return CompletableFuture.completedFuture(result);
    }).whenCompleteAsync((result, t) -> {
      if (t != null) {
        synchronized (this) {
          dirty = true;    // it may have expired meanwhile, or missed a tag update
        }
        log.warn("registry: renewal of {} failed (will retry): {}", instance().id(),
            RegistryScripts.unwrap(t).toString());
      } else if (result != null && result < 0) {
        log.warn("registry: {} was registered again by another process; stopping renewals",
            instance().id());
        stop(TAKEN_OVER);
        return;
      }
      scheduleRenewal();
    }, ctx.executor());
  }

  @Override
  public void updateTags(Map<String, String> changes) {
    Objects.requireNonNull(changes, "changes");
    CompletableFuture<Long> w;
    ServiceInstance next;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("registration of " + instance.id() + " " + closedBecause);
      }
      next = instance.withTagChanges(changes);
      w = write(next, false);
      instance = next;
    }
    Long result;
    try {
      result = ctx.await(w, "updateTags of " + next.id());
    } catch (RegistryException e) {
      synchronized (this) {
        dirty = true;
      }
      throw e;
    }
    if (result != null && result < 0) {
      stop(TAKEN_OVER);
      throw new IllegalStateException("registration of " + next.id() + " " + TAKEN_OVER);
    }
  }

  private synchronized boolean stop(String because) {
    if (closed) {
      return false;
    }
    closed = true;
    closedBecause = because;
    if (renewal != null) {
      renewal.cancel();
    }
    return true;
  }

  @Override
  public void close() {
    CompletableFuture<Long> d;
    synchronized (this) {
      if (!stop("is closed")) {
        return;
      }
      d = RegistryScripts.DELETE.run(ctx.redis(), keys(instance), owner, instance.id());
    }
    onClose.accept(this);
    try {
      ctx.await(d, "deregister " + instance().id());
    } catch (RegistryException e) {
      log.warn("registry: {}; it will expire after its TTL", e.getMessage());
    }
  }
}

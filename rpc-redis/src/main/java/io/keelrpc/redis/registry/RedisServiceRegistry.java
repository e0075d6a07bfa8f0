package io.keelrpc.redis.registry;

import io.keelrpc.core.registry.Registration;
import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.registry.ServiceInstance;
import io.keelrpc.core.registry.ServiceRegistry;
import io.keelrpc.core.registry.TagSelector;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.redis.registry.internal.RedisRegistration;
import io.keelrpc.redis.registry.internal.RedisWatch;
import io.keelrpc.redis.registry.internal.RegistryContext;
import io.keelrpc.redis.registry.internal.RegistryKeys;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.concurrent.EventExecutorGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link ServiceRegistry} on Redis, through Lettuce. Each instance is a Redis hash that expires
 * after its TTL unless renewed; watchers poll the records of their service (one Lua call) every
 * poll interval, and also re-read at once when a registration, tag update or deregistration is
 * announced on the service's Pub/Sub channel, or when Redis reports a record expired (keyspace
 * notifications, if enabled on the server). Pub/Sub only speeds things up: a lost message (e.g.
 * while reconnecting) is made up for by the next poll, so a dead instance leaves every watcher
 * within TTL + poll interval (+ one Redis round trip).
 *
 * <pre>{@code
 * try (RedisServiceRegistry registry = RedisServiceRegistry.builder("redis://127.0.0.1:6379")
 *     .pollInterval(Duration.ofMillis(500)).build()) {
 *   Registration reg = registry.registerSelf("kv", "10.0.0.5", server.port(),
 *       Map.of("role", "worker"), Duration.ofSeconds(5));
 *   ...
 * }
 * }</pre>
 *
 * <p>Layout (prefix {@code keel:registry} by default): hash {@code <prefix>:{svc}:i:<id>} with
 * {@code host}, {@code port}, {@code owner}, {@code version} and {@code t.<tag>} fields; set
 * {@code <prefix>:{svc}:ids}; channel {@code <prefix>:{svc}:changes}. See
 * {@code docs/multi-instance.md}.
 */
public final class RedisServiceRegistry implements ServiceRegistry, AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RegistryContext ctx;
  private final Builder config;
  private final List<RedisRegistration> registrations = new CopyOnWriteArrayList<>();
  private final List<RedisWatch> watches = new CopyOnWriteArrayList<>();
  // guarded by this
  private StatefulRedisPubSubConnection<String, String> pubSub;
  private final Set<String> subscribed = new HashSet<>();
  private boolean closed;

  private RedisServiceRegistry(Builder b) {
    this.config = b;
    RedisURI uri = RedisURI.create(b.uri);
    uri.setTimeout(b.timeout);
    client = RedisClient.create(uri);
    // fail at once while disconnected instead of queueing until the timeout
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
      throw new RegistryException("cannot connect to Redis at " + b.uri + ": " + e.getMessage(),
          e);
    }
    EventExecutorGroup events = client.getResources().eventExecutorGroup();
    Scheduler scheduler = b.scheduler != null ? b.scheduler : (task, delayNanos) -> {
      ScheduledFuture<?> f = events.schedule(task, Math.max(0, delayNanos),
          TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
    ctx = new RegistryContext(connection.async(), new RegistryKeys(b.keyPrefix), scheduler,
        events, b.timeout);
    if (b.enableKeyspaceEvents) {
      enableKeyspaceEvents();
    }
  }

  /** A builder for a registry on the Redis at {@code uri}, e.g. {@code redis://127.0.0.1:6379}. */
  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  @Override
  public Registration register(ServiceInstance instance, Duration ttl) {
    Objects.requireNonNull(instance, "instance");
    ServiceRegistry.checkTtl(ttl);
    checkOpen();
    RedisRegistration r = new RedisRegistration(ctx, instance, ttl.toMillis(),
        registrations::remove);
    registrations.add(r);
    try {
      r.start();
    } catch (RuntimeException e) {
      registrations.remove(r);
      throw e;
    }
    return r;
  }

  @Override
  public Watch watch(String service, TagSelector selector,
      Consumer<? super List<ServiceInstance>> listener) {
    ServiceInstance.checkName("service", service);
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    if (config.notifications) {
      subscribe(service);    // before the first read, so no change falls in between
    }
    RedisWatch w = new RedisWatch(ctx, service, selector, listener,
        config.pollInterval.toNanos(), watches::remove);
    watches.add(w);
    w.start();
    return w;
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the registry is closed");
    }
  }

  private void subscribe(String service) {
    StatefulRedisPubSubConnection<String, String> ps;
    synchronized (this) {
      if (!subscribed.add(service)) {
        return;
      }
      if (pubSub == null) {
        pubSub = client.connectPubSub();
        pubSub.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            poke(channel);
          }

          @Override
          public void message(String pattern, String channel, String message) {
            if ("expired".equals(message)) {
              poke(channel);
            }
          }
        });
      }
      ps = pubSub;
    }
    RegistryKeys k = ctx.keys();
    ctx.await(ps.async().subscribe(k.changes(service)).toCompletableFuture(),
        "subscribe " + service);
    ctx.await(ps.async().psubscribe(k.keyspacePattern(service)).toCompletableFuture(),
        "psubscribe " + service);
  }

  private void poke(String channel) {
    String service = ctx.keys().serviceOf(channel);
    for (RedisWatch w : watches) {
      if (w.service().equals(service)) {
        w.poke();
      }
    }
  }

  /** Adds {@code K} and {@code x} to the server's {@code notify-keyspace-events}. */
  private void enableKeyspaceEvents() {
    Map<String, String> cur = ctx.await(
        ctx.redis().configGet("notify-keyspace-events").toCompletableFuture(),
        "CONFIG GET notify-keyspace-events");
    String flags = cur.getOrDefault("notify-keyspace-events", "");
    StringBuilder next = new StringBuilder(flags);
    for (char c : new char[] {'K', 'x'}) {
      if (flags.indexOf(c) < 0 && !(c == 'x' && flags.indexOf('A') >= 0)) {
        next.append(c);
      }
    }
    if (!next.toString().equals(flags)) {
      ctx.await(ctx.redis().configSet("notify-keyspace-events", next.toString())
          .toCompletableFuture(), "CONFIG SET notify-keyspace-events");
    }
  }

  /**
   * Deregisters every open registration, stops every watch and closes the connections.
   * Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (RedisRegistration r : new ArrayList<>(registrations)) {
      r.close();
    }
    for (RedisWatch w : new ArrayList<>(watches)) {
      w.close();
    }
    synchronized (this) {
      if (pubSub != null) {
        pubSub.close();
      }
    }
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }

  /** Configures a {@link RedisServiceRegistry}; each setter validates its argument at once. */
  public static final class Builder {
    private final String uri;
    private String keyPrefix = "keel:registry";
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofSeconds(2);
    private boolean notifications = true;
    private boolean enableKeyspaceEvents;
    private Scheduler scheduler;

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** Prefix of every key and channel (default {@code keel:registry}). */
    public Builder keyPrefix(String prefix) {
      ServiceInstance.checkName("keyPrefix", prefix);
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * How often a watch re-reads its service (default 1 s, at least 10 ms): the bound on how
     * late a change reaches it when no notification does.
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "pollInterval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException(
            "pollInterval: " + interval + " (expected: >= PT0.01S)");
      }
      this.pollInterval = interval;
      return this;
    }

    /** How long a caller waits for Redis before a {@link RegistryException} (default 2 s). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether watches also re-read on Pub/Sub notifications (default true); false means polling
     * only.
     */
    public Builder notifications(boolean enabled) {
      this.notifications = enabled;
      return this;
    }

    /**
     * Whether {@link #build} adds {@code Kx} to the server's {@code notify-keyspace-events}
     * (default false: leave server configuration to its operators), so that expiries reach
     * watchers without waiting for a poll.
     */
    public Builder enableKeyspaceEvents(boolean enabled) {
      this.enableKeyspaceEvents = enabled;
      return this;
    }

    /** Where renewals and polls are timed (default: Lettuce's event executors). */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Connects to Redis.
     *
     * @throws RegistryException if Redis cannot be reached
     */
    public RedisServiceRegistry build() {
      return new RedisServiceRegistry(this);
    }
  }
}

package io.keelrpc.redis.registry.internal;

import io.keelrpc.core.registry.RegistryException;
import io.keelrpc.core.time.Scheduler;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the registrations and watches of one Redis registry share.
 *
 * @param redis the command connection
 * @param keys key names
 * @param scheduler renewals and polls
 * @param executor where results are handled and listeners called (off Netty's I/O threads)
 * @param timeout how long a caller waits for Redis
 */
public record RegistryContext(RedisAsyncCommands<String, String> redis, RegistryKeys keys,
    Scheduler scheduler, Executor executor, Duration timeout) {

  /** Waits for {@code f} up to the timeout; failures become {@link RegistryException}s. */
  public <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = RegistryScripts.unwrap(e.getCause());
      throw new RegistryException(what + " failed: " + c.getMessage(), c);
    } catch (TimeoutException e) {
      throw new RegistryException(what + ": no answer from Redis within " + timeout, e);
    }
  }
}

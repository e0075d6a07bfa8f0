package io.keelrpc.redis.internal;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.server.idempotency.Outcome;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Waits for the outcome of a call running on another instance by polling its key with
 * exponential backoff, until the outcome appears, the claim vanishes, the request's deadline
 * passes, Redis fails, or the store closes. Each of those ends in an outcome (the last four as
 * errors a client may retry), so a waiting request is always answered.
 */
public final class OutcomePoller {
  private final RedisAsyncCommands<String, byte[]> redis;
  private final Scheduler scheduler;
  private final String where;
  private final long initialNanos;
  private final long maxNanos;
  private final BooleanSupplier closed;
  private final MessageCodec codec = new MessageCodec();

  /**
   * A poller reading through {@code redis}, timed by {@code scheduler}; {@code where} names the
   * Redis server in messages; {@code closed} tells when the store has closed.
   */
  public OutcomePoller(RedisAsyncCommands<String, byte[]> redis, Scheduler scheduler,
      String where, long initialNanos, long maxNanos, BooleanSupplier closed) {
    this.redis = redis;
    this.scheduler = scheduler;
    this.where = where;
    this.initialNanos = initialNanos;
    this.maxNanos = maxNanos;
    this.closed = closed;
  }

  /** The outcome of the call claimed under {@code redisKey}; {@code deadline} may be null. */
  public CompletableFuture<Outcome> await(String redisKey, Deadline deadline) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    schedule(redisKey, deadline, out, initialNanos);
    return out;
  }

  private void schedule(String redisKey, Deadline deadline, CompletableFuture<Outcome> out,
      long delay) {
    long d = deadline == null ? delay : Math.min(delay, Math.max(0, deadline.remainingNanos()));
    scheduler.schedule(() -> poll(redisKey, deadline, out, delay), d);
  }

  private void poll(String redisKey, Deadline deadline, CompletableFuture<Outcome> out,
      long delay) {
    if (closed.getAsBoolean()) {
      out.complete(error(new UnavailableException("the idempotency store was closed while "
          + "this request waited for the execution of its key; retry")));
      return;
    }
    redis.get(redisKey).whenComplete((v, t) -> {
      if (t != null) {
        out.complete(error(new UnavailableException("idempotency store unavailable: " + where
            + " did not answer (" + LuaScript.unwrap(t) + ") while this request waited for the "
            + "execution of its key on another instance; retry")));
      } else if (v == null || StoredValue.kind(v) == 0) {
        out.complete(error(new UnavailableException("the execution this request waited for on "
            + "another instance ended without recording an outcome (rejected, cancelled, or its "
            + "instance stopped and its lease expired); retry")));
      } else if (StoredValue.kind(v) != StoredValue.PENDING) {
        out.complete(StoredValue.outcome(v));
      } else if (deadline != null && deadline.isExpired()) {
        out.complete(error(new DeadlineExceededException("the deadline passed while this request "
            + "waited for the execution of its key on another instance; retry with the same key "
            + "for its outcome")));
      } else {
        schedule(redisKey, deadline, out, Math.min(delay * 2, maxNanos));
      }
    });
  }

  private Outcome error(RpcException e) {
    return new Outcome(true, codec.errorBytes(e.toErrorObject()));
  }
}

package io.keelrpc.client.internal;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.wire.RawResponse;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One logical call: a single id shared by every attempt, a deadline over all of them, a timer per
 * attempt, and the retry decision after each failure (retry only what the failure's
 * {@link io.keelrpc.core.RetrySafety} allows, wait a jittered backoff and at least the server's
 * retry-after, never past the deadline).
 *
 * <p>State changes happen under the object's lock; callbacks from the event loop, the scheduler
 * and connection attempts may race, and an attempt number guards against stale ones. The result
 * future is always completed <em>outside</em> the lock, so callers' callbacks never run holding it.
 */
final class RetryingCall<R> {
  private final DefaultKeelClient client;
  private final MethodDescriptor<?, R> method;
  private final String id;
  private final byte[] params;
  private final Deadline deadline;
  private final long perAttemptNanos;
  private final RetryPolicy policy;
  private final boolean idempotent;
  private final String idempotencyKey;
  final CompletableFuture<R> result = new CompletableFuture<>();

  // guarded by this
  private int attempt;
  private boolean awaiting;
  private boolean sent;
  private Connection connection;
  private Scheduler.Cancellable timer;
  private long previousBackoffNanos;
  private KeelException lastFailure;

  RetryingCall(DefaultKeelClient client, MethodDescriptor<?, R> method, String id, byte[] params,
      Deadline deadline, long perAttemptNanos, RetryPolicy policy, boolean idempotent,
      String idempotencyKey) {
    this.client = client;
    this.method = method;
    this.id = id;
    this.params = params;
    this.deadline = deadline;
    this.perAttemptNanos = perAttemptNanos;
    this.policy = policy;
    this.idempotent = idempotent;
    this.idempotencyKey = idempotencyKey;
  }

  void start() {
    result.whenComplete((r, t) -> cleanUp());
    startAttempt();
  }

  private void startAttempt() {
    int n;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      long remaining = deadline.remainingNanos();
      if (remaining > 0) {
        n = ++attempt;
        awaiting = true;
        sent = false;
        long attemptNanos = Math.min(perAttemptNanos, remaining);
        timer = client.scheduler().schedule(() -> onAttemptTimeout(n, attemptNanos), attemptNanos);
      } else {
        n = 0;
      }
    }
    if (n == 0) {
      fail(deadlineExceeded());
      return;
    }
    client.connection().whenComplete((conn, err) -> {
      if (err != null) {
        onAttemptFailure(n, err instanceof KeelException k ? k
            : new TransportException("cannot connect: " + err.getMessage(), false, err));
      } else {
        send(n, conn);
      }
    });
  }

  private void send(int n, Connection conn) {
    long remainingMs;
    synchronized (this) {
      if (result.isDone() || n != attempt || !awaiting) {
        return;
      }
      if (connection != null && connection != conn) {
        connection.unregister(id, this);
      }
      connection = conn;
      remainingMs = Math.max(1, deadline.remainingNanos() / 1_000_000);
    }
    if (!conn.register(id, this)) {
      onAttemptFailure(n, new TransportException("connection closed before sending", false, null));
      return;
    }
    ByteBuf frame = client.codec().writeRequest(conn.channel().alloc(), id, method.name(), params,
        remainingMs, n, idempotencyKey);
    synchronized (this) {
      if (n == attempt) {
        sent = true; // from here on the request may reach the server
      }
    }
    conn.channel().writeAndFlush(frame).addListener(f -> {
      if (!f.isSuccess()) {
        onAttemptFailure(n, new TransportException("cannot send the request: "
            + f.cause().getMessage(), false, f.cause()));
      }
    });
  }

  void onResponse(Connection conn, RawResponse response) {
    if (result.isDone()) {
      return;
    }
    if (!response.isError()) {
      R value;
      try {
        value = method.resultType() == Void.class ? null
            : client.codec().bind(response.result(), method.resultType());
      } catch (Exception e) {
        fail(new ResponseDecodingException("the result of \"" + method.name()
            + "\" does not bind to " + method.resultType().getSimpleName() + ": "
            + e.getMessage(), e));
        return;
      }
      result.complete(value);
      return;
    }
    int n;
    synchronized (this) {
      if (!awaiting) {
        return; // a late error for an attempt already given up on
      }
      n = attempt;
    }
    onAttemptFailure(n, RpcException.from(response.error()));
  }

  void onConnectionLost(Connection conn, TransportException e) {
    int n;
    synchronized (this) {
      if (connection != conn || !awaiting) {
        return;
      }
      n = attempt;
    }
    onAttemptFailure(n, e);
  }

  private void onAttemptTimeout(int n, long attemptNanos) {
    KeelException failure;
    synchronized (this) {
      if (n != attempt || !awaiting || result.isDone()) {
        return;
      }
      if (deadline.isExpired()) {
        awaiting = false;
        failure = deadlineExceeded();
      } else if (!sent) {
        // Nothing was written (still connecting): the request cannot have run.
        failure = new TransportException("no connection within the attempt's "
            + attemptNanos / 1_000_000 + " ms", false, null);
      } else {
        failure = new AttemptTimeoutException(Duration.ofNanos(attemptNanos));
      }
    }
    if (failure instanceof DeadlineExceededException) {
      fail(failure);
    } else {
      onAttemptFailure(n, failure);
    }
  }

  private void onAttemptFailure(int n, KeelException e) {
    KeelException give;
    synchronized (this) {
      if (result.isDone() || n != attempt || !awaiting) {
        return;
      }
      awaiting = false;
      lastFailure = e;
      cancelTimer();
      give = decide(n, e);
    }
    if (give != null) {
      fail(give);
    }
  }

  /** Schedules the next attempt, or returns the failure to end the call with; lock held. */
  private KeelException decide(int n, KeelException e) {
    if (client.isClosed()) {
      return new ClientClosedException("the client was closed");
    }
    if (!e.retrySafety().allowsRetry(idempotent) || n >= policy.maxAttempts()) {
      return e;
    }
    long delay = policy.backoffNanos(n, previousBackoffNanos, client.random().getAsDouble());
    if (e instanceof OverloadedException o) {
      delay = Math.max(delay, o.retryAfter().toNanos());
    }
    if (delay >= deadline.remainingNanos()) {
      return e; // waiting would pass the deadline
    }
    previousBackoffNanos = delay;
    timer = client.scheduler().schedule(this::startAttempt, delay);
    return null;
  }

  /** The failure for a spent deadline, with the last attempt's failure as its cause; lock held. */
  private DeadlineExceededException deadlineExceeded() {
    DeadlineExceededException e = new DeadlineExceededException("deadline exceeded after "
        + attempt + " attempt(s) of \"" + method.name() + "\"");
    if (lastFailure != null) {
      e.initCause(lastFailure);
    }
    return e;
  }

  /** Fails the call at once (the client is closing). */
  void abort(KeelException e) {
    fail(e);
  }

  private void fail(KeelException e) {
    result.completeExceptionally(e);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void cleanUp() {
    Connection conn;
    synchronized (this) {
      awaiting = false;
      cancelTimer();
      conn = connection;
    }
    if (conn != null) {
      conn.unregister(id, this);
    }
    client.forget(this);
  }
}

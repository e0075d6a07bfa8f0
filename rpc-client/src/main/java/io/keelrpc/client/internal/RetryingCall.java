package io.keelrpc.client.internal;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.OutcomeClassifier;
import io.keelrpc.core.policy.internal.RetryController;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.wire.RawResponse;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One logical call: a single id shared by every attempt, a deadline over all of them, a timer per
 * attempt, and the retry decision after each failure. The decision and the listener events come
 * from the {@link RetryController} that {@code Resilience} uses too: the failure is classified by
 * {@link OutcomeClassifier#classifyFailure} (retry only what the failure's
 * {@link io.keelrpc.core.RetrySafety} allows for this call), the client's shared
 * {@link io.keelrpc.core.policy.RetryBudget} may hold a retry back, and the wait is a jittered
 * backoff, at least the server's retry-after, never past the deadline.
 *
 * <p>State changes happen under the object's lock; callbacks from the event loop, the scheduler
 * and connection attempts may race, and an attempt number guards against stale ones. Whoever
 * claims an attempt's outcome under the lock then reports it to the controller, fires the
 * listener events and completes the result future, all <em>outside</em> the lock, so neither
 * listeners nor callers' callbacks run holding it. Events of one call come in order, except that
 * a late success racing a retry decision for the same call may interleave with it.
 */
final class RetryingCall<R> {
  private final DefaultKeelClient client;
  private final MethodDescriptor<?, R> method;
  private final String id;
  private final byte[] params;
  private final Deadline deadline;
  private final long perAttemptNanos;
  private final boolean idempotent;
  private final String idempotencyKey;
  private final RetryController retries;
  final CompletableFuture<R> result = new CompletableFuture<>();

  // guarded by this
  private int attempt;
  private boolean awaiting;
  private boolean sent;
  private boolean ended;
  private Connection connection;
  private Scheduler.Cancellable timer;
  private KeelException lastFailure;

  /**
   * A call; nothing is sent before {@link #start()}.
   *
   * @param listener the call's listener (the client's and the call's, combined once); events are
   *     built only if it is not {@link CallListener#noop()}
   */
  RetryingCall(DefaultKeelClient client, MethodDescriptor<?, R> method, String id, byte[] params,
      Deadline deadline, long perAttemptNanos, RetryPolicy policy, boolean idempotent,
      String idempotencyKey, CallListener listener) {
    this.client = client;
    this.method = method;
    this.id = id;
    this.params = params;
    this.deadline = deadline;
    this.perAttemptNanos = perAttemptNanos;
    this.idempotent = idempotent;
    this.idempotencyKey = idempotencyKey;
    this.retries = new RetryController(method.name(), deadline, policy, client.retryBudget(),
        listener, client.slowCallThreshold(), client.ticker(), client.random());
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
        n = retries.beginAttempt();
        attempt = n;
        awaiting = true;
        sent = false;
        long attemptNanos = Math.min(perAttemptNanos, remaining);
        timer = client.scheduler().schedule(() -> onAttemptTimeout(n, attemptNanos), attemptNanos);
      } else {
        n = 0;
      }
    }
    if (n == 0) {
      DeadlineExceededException e;
      synchronized (this) {
        e = deadlineExceeded();
      }
      retries.giveUpBeforeAttempt();
      fail(e);
      return;
    }
    connectionFor().whenComplete((conn, err) -> {
      if (err != null) {
        onAttemptFailure(n, err instanceof KeelException k ? k
            : new TransportException("cannot connect: " + err.getMessage(), false, err));
      } else {
        send(n, conn);
      }
    });
  }

  /** The connection the next attempt is sent on: the one place that picks it. */
  private CompletableFuture<Connection> connectionFor() {
    return client.connection(connection);
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
        remainingMs, n, idempotencyKey, client.authorization());
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
        ResponseDecodingException failure = new ResponseDecodingException("the result of \""
            + method.name() + "\" does not bind to " + method.resultType().getSimpleName() + ": "
            + e.getMessage(), e);
        if (claimEnd()) {
          retries.onOutcome(OutcomeClassifier.classifyFailure(failure, idempotent), null, failure);
          fail(failure);
        }
        return;
      }
      if (claimEnd()) {
        retries.onOutcome(Outcome.success(), value, null);
        result.complete(value);
      }
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
        failure = deadlineExceeded();
      } else if (!sent) {
        // Nothing was written (still connecting): the request cannot have run.
        failure = new TransportException("no connection within the attempt's "
            + attemptNanos / 1_000_000 + " ms", false, null);
      } else {
        failure = new AttemptTimeoutException(Duration.ofNanos(attemptNanos));
        if (retries.onlyTheBudgetStops(OutcomeClassifier.classifyFailure(failure, idempotent))) {
          // The budget will not pay for another copy, so this one keeps its chance: its answer
          // still completes the call, and the deadline ends the wait.
          timer = client.scheduler().schedule(() -> onAttemptTimeout(n, attemptNanos),
              deadline.remainingNanos());
          return;
        }
      }
    }
    onAttemptFailure(n, failure);
  }

  private void onAttemptFailure(int n, KeelException e) {
    synchronized (this) {
      if (result.isDone() || n != attempt || !awaiting) {
        return;
      }
      awaiting = false;
      if (!(e instanceof DeadlineExceededException)) {
        lastFailure = e; // the cause of a later DeadlineExceededException
      }
      cancelTimer();
    }
    if (client.isClosed()) {
      fail(new ClientClosedException("the client was closed"));
      return;
    }
    RetryController.Decision d = retries.onOutcome(
        OutcomeClassifier.classifyFailure(e, idempotent), null, e);
    if (d.action() != RetryController.Action.RETRY) {
      fail(e);
      return;
    }
    synchronized (this) {
      if (!result.isDone()) {
        timer = client.scheduler().schedule(this::startAttempt, d.delayNanos());
      }
    }
  }

  /**
   * Claims the end of the call for an answer that completes it (a result, or one that does not
   * bind), whichever attempt it answers; false if the call already ended.
   */
  private synchronized boolean claimEnd() {
    if (ended || result.isDone()) {
      return false;
    }
    ended = true;
    awaiting = false;
    cancelTimer();
    return true;
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

package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns decoded requests into outcomes, independent of the transport that carried them. The
 * order of checks is the contract of docs/protocol.md: draining, authentication (when an
 * {@link Authenticator} is set; its principal scopes the idempotency key), method, params,
 * deadline, idempotency (join or reuse), admission (OVERLOADED), then execution.
 *
 * <p>A call admitted for execution can be cancelled through the {@link Ticket} that
 * {@link #dispatch} returns (the transport does so when the caller sends {@code $/cancel}). A call
 * still queued never runs: its key is released and its outcome is {@code CANCELLED}. A running
 * call is only told ({@link CallContext#isCancelled()}, {@link KeelContext#isCancelled()}): its
 * outcome is recorded as usual, unless the handler gives up by throwing a
 * {@link CancelledException} after the cancellation, which counts as "nothing ran" and releases
 * the key. A handler failing after the cancel with a
 * {@link java.util.concurrent.CancellationException} (typically from an outgoing call that was
 * cancelled with this one) has outcome {@code CANCELLED}, recorded. Requests that joined a
 * cancelled execution that recorded nothing are answered UNAVAILABLE, which callers retry.
 * Whether the cancelled request's own answer is sent is the transport's decision (keel/1 never
 * sends it).
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Receives exactly one outcome per dispatched request (notifications included). */
  @FunctionalInterface
  public interface Responder {
    void respond(Request request, Outcome outcome);

    /** The connection the request arrived on, for {@link CallContext#connection()}; null if none. */
    default ConnectionInfo connection() {
      return null;
    }
  }

  /** A dispatched request, as far as it can still be cancelled. */
  @FunctionalInterface
  public interface Ticket {
    /**
     * Cancels the execution this request owns, if any: a queued call never runs and is answered
     * (through the responder) at once; a running one is marked cancelled. Calling it again, or
     * after the answer, does nothing. Call it on one thread at a time.
     */
    void cancel();
  }

  /** The ticket of a request that owns no execution (answered at once, or joined another). */
  static final Ticket NOT_CANCELLABLE = () -> {};

  private final Map<String, Registration<?, ?>> methods;
  /** Null: no authentication, calls have no principal and keys are not scoped. */
  private final Authenticator authenticator;
  private final IdempotencyStore store;
  private final Executor workers;
  private final Ticker ticker;
  private final MessageCodec codec;
  private final ParamsBinder binder;
  private final int maxAdmitted;
  private final byte[] overloaded;
  /** The answer of requests that joined an execution cancelled before it recorded anything. */
  private final Outcome joinedCancelled;
  private final AtomicInteger admitted = new AtomicInteger();
  /** Requests whose outcome has not yet been handed to the responder; drain waits for 0. */
  private final AtomicInteger unanswered = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean draining;
  /** Reports answers to the server's listener. */
  private final ServerObserver observer;

  Dispatcher(Map<String, Registration<?, ?>> methods, IdempotencyStore store, Executor workers,
      Ticker ticker, MessageCodec codec, int maxAdmitted, Duration overloadRetryAfter) {
    this(methods, store, workers, ticker, codec, maxAdmitted, overloadRetryAfter, null,
        ServerObserver.NONE);
  }

  Dispatcher(Map<String, Registration<?, ?>> methods, IdempotencyStore store, Executor workers,
      Ticker ticker, MessageCodec codec, int maxAdmitted, Duration overloadRetryAfter,
      Authenticator authenticator, ServerObserver observer) {
    this.authenticator = authenticator;
    this.observer = observer;
    this.methods = methods;
    this.store = store;
    this.workers = workers;
    this.ticker = ticker;
    this.codec = codec;
    this.binder = new ParamsBinder(codec);
    this.maxAdmitted = maxAdmitted;
    this.overloaded = codec.errorBytes(OverloadedException.withRetryAfter(
        "server overloaded: " + maxAdmitted + " calls admitted; retry later", overloadRetryAfter)
        .toErrorObject());
    this.joinedCancelled = error(new UnavailableException("the execution this request joined was "
        + "cancelled by its caller and recorded nothing; retry"));
  }

  /**
   * Dispatches one request; {@code responder} is called once, possibly on another thread, possibly
   * before this method returns.
   *
   * @return the means to cancel the execution the request owns, {@link #NOT_CANCELLABLE} if none
   */
  public Ticket dispatch(Request req, Responder plain) {
    Responder responder = observer.observe(req, plain);
    // Counted before the draining check: drain() then either sees this request (and waits for
    // its answer) or this request sees draining (and is refused). Every path below answers
    // through respondAndCount.
    unanswered.incrementAndGet();
    Checked checked = check(req, responder);
    if (checked == null) {
      return NOT_CANCELLABLE;
    }
    Registration<?, ?> reg = checked.reg();
    Principal principal = checked.principal();
    if (reg.isStream() || req.meta().isStream()) {
      respondAndCount(req, responder, error(new InvalidRequestException(streamMismatch(req, reg))));
      return NOT_CANCELLABLE;
    }
    Object params;
    try {
      params = binder.bind(req.params(), reg.method().paramsType());
    } catch (RpcException e) {
      respondAndCount(req, responder, error(e));
      return NOT_CANCELLABLE;
    }
    if (budgetSpent(req, responder)) {
      return NOT_CANCELLABLE;
    }
    Deadline deadline = deadlineOf(req);
    String key = store == null || reg.method().readOnly() ? null
        : Authentication.scopedKey(principal, req.idempotencyKey());
    if (key == null) {
      return admit(req, reg, params, deadline, null, responder, principal);
    }
    long fp = Fingerprint.of(req.method(), req.params());
    CompletableFuture<IdempotencyStore.Entry> claim = claim(key, fp, deadline);
    if (claim.isDone()) { // the in-memory store: continue on this thread, as before
      return afterClaim(req, reg, params, deadline, key, fp, responder, principal, claim);
    }
    // A remote store: the call goes on when it answers; a cancel before then is remembered.
    PendingClaim pending = new PendingClaim();
    claim.whenComplete((e, t) -> pending.resolve(
        afterClaim(req, reg, params, deadline, key, fp, responder, principal, claim)));
    return pending;
  }

  private CompletableFuture<IdempotencyStore.Entry> claim(String key, long fp, Deadline deadline) {
    try {
      return store.claimAsync(key, fp, deadline).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Joins an earlier execution or admits the call, once the store answered the claim. */
  private Ticket afterClaim(Request req, Registration<?, ?> reg, Object params, Deadline deadline,
      String key, long fp, Responder responder, Principal principal,
      CompletableFuture<IdempotencyStore.Entry> claim) {
    IdempotencyStore.Entry earlier;
    try {
      earlier = claim.join();
    } catch (CompletionException | CancellationException e) {
      respondAndCount(req, responder, storeFailed(req, e));
      return NOT_CANCELLABLE;
    }
    if (earlier != null) {
      if (earlier.fingerprint() != fp) {
        respondAndCount(req, responder, error(new IdempotencyKeyReusedException(
            "idempotency key \"" + req.idempotencyKey()
                + "\" was used before with a different method or params")));
      } else {
        earlier.outcome().whenComplete((o, t) -> respondAndCount(req, responder,
            o != null ? o : internalError(req, t)));
      }
      return NOT_CANCELLABLE;
    }
    return admit(req, reg, params, deadline, key, responder, principal);
  }

  /** The answer of a call whose key the idempotency store could not claim: it did not run. */
  private Outcome storeFailed(Request req, Throwable t) {
    Throwable cause = unwrap(t);
    log.warn("idempotency store failed to claim the key of a \"{}\" call; answered without "
        + "running it: {}", req.method(), cause.toString());
    if (cause instanceof RpcException e) {
      return error(e);
    }
    return error(new UnavailableException("the idempotency store failed (" + cause
        + "); the call did not run; retry later"));
  }

  /** Admission (OVERLOADED) and execution of a call whose key, if any, it owns. */
  private Ticket admit(Request req, Registration<?, ?> reg, Object params, Deadline deadline,
      String key, Responder responder, Principal principal) {
    if (admitted.incrementAndGet() > maxAdmitted) {
      admitted.decrementAndGet();
      Outcome o = new Outcome(true, overloaded);
      if (key != null) {
        store.release(key, o);
      }
      respondAndCount(req, responder, o);
      return NOT_CANCELLABLE;
    }
    Call call = new Call(req, reg, params, deadline, key, responder, principal);
    if (reg.isAsync()) {
      call.runAsync();
    } else if (reg.isInline()) {
      call.run();
    } else {
      try {
        workers.execute(call);
      } catch (RejectedExecutionException e) {
        if (call.unqueue()) {
          call.reject(new UnavailableException("server is shutting down"));
        }
      }
    }
    return call;
  }

  /**
   * Dispatches a request that opens a stream ({@code meta.stream}) on a transport that carries
   * streams: {@code link} writes the stream's items and credit, and routes the caller's stream
   * messages to the call once it is admitted. The order of checks is that of {@link #dispatch},
   * with the kind of stream checked after the method and without the idempotency cache (streams
   * are not deduplicated). {@code responder} is called once, with the answer that ends the stream.
   *
   * @return the means to cancel the stream, {@link #NOT_CANCELLABLE} if it was refused
   */
  public Ticket dispatchStream(Request req, Responder plain, ServerStreamLink link) {
    Responder responder = observer.observe(req, plain);
    unanswered.incrementAndGet();
    Checked checked = check(req, responder);
    if (checked == null) {
      return NOT_CANCELLABLE;
    }
    Registration<?, ?> reg = checked.reg();
    Principal principal = checked.principal();
    if (reg.streamKind() != req.meta().stream()) {
      respondAndCount(req, responder, error(new InvalidRequestException(streamMismatch(req, reg))));
      return NOT_CANCELLABLE;
    }
    Object params = null;
    if (!reg.streamKind().clientSendsItems()) { // otherwise the params type is the item type
      try {
        params = binder.bind(req.params(), reg.method().paramsType());
      } catch (RpcException e) {
        respondAndCount(req, responder, error(e));
        return NOT_CANCELLABLE;
      }
    }
    if (budgetSpent(req, responder)) {
      return NOT_CANCELLABLE;
    }
    Deadline deadline = deadlineOf(req);
    if (admitted.incrementAndGet() > maxAdmitted) {
      admitted.decrementAndGet();
      respondAndCount(req, responder, new Outcome(true, overloaded));
      return NOT_CANCELLABLE;
    }
    StreamCall call =
        new StreamCall(this, codec, req, reg, params, deadline, responder, link, principal);
    link.attach(call);
    call.open();
    try {
      workers.execute(call);
    } catch (RejectedExecutionException e) {
      call.refuse(new UnavailableException("server is shutting down"));
    }
    return call;
  }

  /** The method and principal of a request that passed the checks every request goes through. */
  private record Checked(Registration<?, ?> reg, Principal principal) {}

  /**
   * The checks calls and streams share, in order: draining, authentication, method lookup.
   * Answers a request that fails one and returns {@code null}.
   */
  private Checked check(Request req, Responder responder) {
    if (draining) {
      respondAndCount(req, responder, error(new UnavailableException("server is shutting down")));
      return null;
    }
    Principal principal = null;
    if (authenticator != null) {
      try {
        principal = Authentication.authenticate(authenticator, req, responder.connection());
      } catch (RpcException e) {
        respondAndCount(req, responder, error(e));
        return null;
      }
    }
    Registration<?, ?> reg = methods.get(req.method());
    if (reg == null) {
      respondAndCount(req, responder, error(new MethodNotFoundException(
          "method not found: \"" + req.method() + "\"")));
      return null;
    }
    return new Checked(reg, principal);
  }

  /** Answers DEADLINE_EXCEEDED and returns true if the caller sent {@code timeoutMs} 0. */
  private boolean budgetSpent(Request req, Responder responder) {
    if (req.meta().hasTimeout() && req.meta().timeoutMs() == 0) {
      respondAndCount(req, responder, error(new DeadlineExceededException(
          "the caller's budget was already spent (timeoutMs 0)")));
      return true;
    }
    return false;
  }

  /** The request's local deadline, or {@code null} if it sent no {@code timeoutMs}. */
  private Deadline deadlineOf(Request req) {
    // Duration saturates where timeoutMs * 1_000_000 would overflow into the past.
    return req.meta().hasTimeout()
        ? Deadline.after(Duration.ofMillis(req.meta().timeoutMs()), ticker)
        : null;
  }

  private static String streamMismatch(Request req, Registration<?, ?> reg) {
    String name = "\"" + req.method() + "\"";
    if (!reg.isStream()) {
      return name + " is not a streaming method; call it without \"meta.stream\"";
    }
    String expected = "open it with \"meta.stream\":\"" + reg.streamKind().wireName() + "\"";
    if (!req.meta().isStream()) {
      return name + " is a " + reg.streamKind().wireName() + " stream; " + expected
          + (req.id() == null || req.id().isNull() ? " and a string or number id" : "");
    }
    if (req.meta().stream() == reg.streamKind()) {
      return name + " is a " + reg.streamKind().wireName() + " stream; it needs a string or "
          + "number id";
    }
    return name + " is a " + reg.streamKind().wireName() + " stream, not a "
        + req.meta().stream().wireName() + " stream; " + expected;
  }

  /** An admitted call (a stream's handler) has finished: its admission slot is free. */
  void released() {
    admitted.decrementAndGet();
  }

  /** Stops admitting calls; the returned future completes when admitted calls have finished. */
  CompletableFuture<Void> drain() {
    draining = true;
    if (unanswered.get() == 0) {
      drained.complete(null);
    }
    return drained;
  }

  /** True once {@link #drain()} has been called: shutdown has begun (HTTP {@code /health}). */
  boolean draining() {
    return draining;
  }

  /** Calls admitted and not yet finished. */
  int admitted() {
    return admitted.get();
  }

  /**
   * Hands an admitted call's outcome to the responder, then counts it answered. The admission slot
   * is freed before (a caller who reads the answer may call again at once), but draining ends only
   * after: shutdown closes the connections once drained, so the answer must be written first.
   */
  void respondAndCount(Request req, Responder responder, Outcome o) {
    try {
      responder.respond(req, o);
    } finally {
      if (unanswered.decrementAndGet() == 0 && draining) {
        drained.complete(null);
      }
    }
  }

  Outcome error(RpcException e) {
    return new Outcome(true, codec.errorBytes(e.toErrorObject()));
  }

  Outcome internalError(Request req, Throwable t) {
    String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    log.warn("handler of \"{}\" failed (ref {})", req.method(), ref, t);
    return error(new InternalErrorException("internal error in \"" + req.method()
        + "\"; see the server log, ref " + ref,
        codec.mapper().createObjectNode().put("ref", ref)));
  }

  /**
   * The ticket of a call whose key a remote store is still claiming: forwards a cancel to the
   * call's own ticket once there is one.
   */
  private static final class PendingClaim implements Ticket {
    private Ticket resolved;
    private boolean cancelled;

    void resolve(Ticket ticket) {
      synchronized (this) {
        resolved = ticket;
        if (!cancelled) {
          return;
        }
      }
      ticket.cancel();
    }

    @Override
    public void cancel() {
      Ticket t;
      synchronized (this) {
        if (resolved == null) {
          cancelled = true;
          return;
        }
        t = resolved;
      }
      t.cancel();
    }
  }

  /**
   * One admitted call: runs the handler once and delivers the outcome. Its state goes
   * {@code QUEUED -> RUNNING} when a thread starts it, or {@code QUEUED -> SKIPPED} when it is
   * cancelled (or refused) before; whoever wins the transition owns the answer.
   */
  private final class Call implements Runnable, CallContext, Ticket {
    private final Request req;
    private final Registration<?, ?> reg;
    private final Object params;
    private final Deadline deadline;
    private final String key;
    private final Responder responder;
    private final Principal principal;
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private final KeelContext context;
    volatile int state = QUEUED;

    Call(Request req, Registration<?, ?> reg, Object params, Deadline deadline, String key,
        Responder responder, Principal principal) {
      this.principal = principal;
      this.req = req;
      this.reg = reg;
      this.params = params;
      this.deadline = deadline;
      this.key = key;
      this.responder = responder;
      KeelContext c = KeelContext.root().withCancellation(cancelled);
      this.context = deadline == null ? c : c.withDeadline(deadline);
    }

    /** Takes the call out of the queue for good; true if it had not started. */
    boolean unqueue() {
      return STATE.compareAndSet(this, QUEUED, SKIPPED);
    }

    @Override
    public void run() {
      if (!STATE.compareAndSet(this, QUEUED, RUNNING)) {
        return; // cancelled while queued, and answered then
      }
      if (deadline != null && deadline.isExpired()) {
        reject(new DeadlineExceededException("the deadline passed while the call waited in the "
            + "queue; the handler did not run"));
        return;
      }
      Outcome o;
      KeelContext.Scope scope = context.attach();
      try {
        o = success(reg.invokeSync(params, this));
      } catch (Throwable t) {
        if (gaveUp(t)) {
          abandon(t);
          return;
        }
        o = failure(t);
      } finally {
        scope.close();
      }
      finish(o);
    }

    void runAsync() {
      state = RUNNING;
      CompletionStage<?> stage;
      KeelContext.Scope scope = context.attach();
      try {
        stage = reg.invokeAsync(params, this);
      } catch (Throwable t) {
        if (gaveUp(t)) {
          abandon(t);
        } else {
          finish(failure(t));
        }
        return;
      } finally {
        scope.close();
      }
      stage.whenComplete((r, t) -> {
        if (t != null && gaveUp(t)) {
          abandon(t);
          return;
        }
        Outcome o;
        try {
          o = t == null ? success(r) : failure(t);
        } catch (Throwable t2) {
          o = failure(t2);
        }
        finish(o);
      });
    }

    @Override
    public void cancel() {
      if (unqueue()) {
        cancelled.complete(null);
        if (key != null) {
          store.release(key, joinedCancelled);
        }
        admitted.decrementAndGet();
        respondAndCount(req, responder, error(new CancelledException(
            "cancelled by the caller before it ran; the handler did not run")));
        return;
      }
      cancelled.complete(null);
    }

    /** True if the handler gave up on a cancelled call: nothing it did is to be recorded. */
    private boolean gaveUp(Throwable t) {
      return cancelled.isDone() && unwrap(t) instanceof CancelledException;
    }

    /** Ends a call whose handler gave up after cancellation: releases the key, records nothing. */
    private void abandon(Throwable t) {
      if (key != null) {
        store.release(key, joinedCancelled);
      }
      admitted.decrementAndGet();
      respondAndCount(req, responder, error((CancelledException) unwrap(t)));
    }

    void reject(RpcException e) {
      Outcome o = error(e);
      if (key != null) {
        store.release(key, o);
      }
      admitted.decrementAndGet();
      respondAndCount(req, responder, o);
    }

    private Outcome success(Object result) {
      try {
        return new Outcome(false, codec.writeValueAsBytes(result));
      } catch (Exception e) {
        return internalError(req, e);
      }
    }

    private Outcome failure(Throwable t) {
      Throwable cause = unwrap(t);
      if (cause instanceof RpcException e) {
        return error(e);
      }
      if (cause instanceof CancellationException && cancelled.isDone()) {
        // typically a call the handler made, cancelled with this one: recorded, since the
        // handler may have had effects before it
        return error(new CancelledException("\"" + req.method() + "\" stopped after its caller "
            + "cancelled it"));
      }
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return internalError(req, cause);
    }

    private void finish(Outcome o) {
      if (key != null) {
        store.complete(key, o);
      }
      admitted.decrementAndGet();
      respondAndCount(req, responder, o);
    }

    @Override
    public String method() {
      return req.method();
    }

    @Override
    public Optional<Deadline> deadline() {
      return Optional.ofNullable(deadline);
    }

    @Override
    public int attempt() {
      return req.meta().attempt();
    }

    @Override
    public Optional<String> idempotencyKey() {
      return Optional.ofNullable(req.idempotencyKey());
    }

    @Override
    public boolean isCancelled() {
      return cancelled.isDone();
    }

    @Override
    public void onCancel(Runnable listener) {
      context.onCancel(listener);
    }

    @Override
    public Optional<ConnectionInfo> connection() {
      return Optional.ofNullable(responder.connection());
    }

    @Override
    public Optional<Principal> principal() {
      return Optional.ofNullable(principal);
    }
  }

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int SKIPPED = 2;
  private static final AtomicIntegerFieldUpdater<Call> STATE =
      AtomicIntegerFieldUpdater.newUpdater(Call.class, "state");

  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}

package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns decoded requests into outcomes, independent of the transport that carried them. The
 * order of checks is the contract of docs/protocol.md: draining, method, params, deadline,
 * idempotency (join or reuse), admission (OVERLOADED), then execution.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Receives exactly one outcome per dispatched request (notifications included). */
  @FunctionalInterface
  public interface Responder {
    void respond(Request request, Outcome outcome);
  }

  private final Map<String, Registration<?, ?>> methods;
  private final IdempotencyStore store;
  private final Executor workers;
  private final Ticker ticker;
  private final MessageCodec codec;
  private final ParamsBinder binder;
  private final int maxAdmitted;
  private final byte[] overloaded;
  private final AtomicInteger admitted = new AtomicInteger();
  /** Requests whose outcome has not yet been handed to the responder; drain waits for 0. */
  private final AtomicInteger unanswered = new AtomicInteger();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean draining;

  Dispatcher(Map<String, Registration<?, ?>> methods, IdempotencyStore store, Executor workers,
      Ticker ticker, MessageCodec codec, int maxAdmitted, Duration overloadRetryAfter) {
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
  }

  /** Dispatches one request; {@code responder} is called once, possibly on another thread. */
  public void dispatch(Request req, Responder responder) {
    // Counted before the draining check: drain() then either sees this request (and waits for
    // its answer) or this request sees draining (and is refused). Every path below answers
    // through respondAndCount.
    unanswered.incrementAndGet();
    if (draining) {
      respondAndCount(req, responder, error(new UnavailableException("server is shutting down")));
      return;
    }
    Registration<?, ?> reg = methods.get(req.method());
    if (reg == null) {
      respondAndCount(req, responder, error(new MethodNotFoundException(
          "method not found: \"" + req.method() + "\"")));
      return;
    }
    Object params;
    try {
      params = binder.bind(req.params(), reg.method().paramsType());
    } catch (RpcException e) {
      respondAndCount(req, responder, error(e));
      return;
    }
    Deadline deadline = null;
    if (req.meta().hasTimeout()) {
      // Duration saturates where timeoutMs * 1_000_000 would overflow into the past.
      deadline = Deadline.after(Duration.ofMillis(req.meta().timeoutMs()), ticker);
      if (req.meta().timeoutMs() == 0) {
        respondAndCount(req, responder, error(new DeadlineExceededException(
            "the caller's budget was already spent (timeoutMs 0)")));
        return;
      }
    }
    String key = store == null || reg.method().readOnly() ? null : req.idempotencyKey();
    if (key != null) {
      long fp = Fingerprint.of(req.method(), req.params());
      IdempotencyStore.Entry earlier = store.claim(key, fp);
      if (earlier != null) {
        if (earlier.fingerprint() != fp) {
          respondAndCount(req, responder, error(new IdempotencyKeyReusedException(
              "idempotency key \"" + key + "\" was used before with a different method or params")));
        } else {
          earlier.outcome().whenComplete((o, t) -> respondAndCount(req, responder,
              o != null ? o : internalError(req, t)));
        }
        return;
      }
    }
    if (admitted.incrementAndGet() > maxAdmitted) {
      admitted.decrementAndGet();
      Outcome o = new Outcome(true, overloaded);
      if (key != null) {
        store.release(key, o);
      }
      respondAndCount(req, responder, o);
      return;
    }
    Call call = new Call(req, reg, params, deadline, key, responder);
    if (reg.isAsync()) {
      call.runAsync();
    } else if (reg.isInline()) {
      call.run();
    } else {
      try {
        workers.execute(call);
      } catch (RejectedExecutionException e) {
        call.reject(new UnavailableException("server is shutting down"));
      }
    }
  }

  /** Stops admitting calls; the returned future completes when admitted calls have finished. */
  CompletableFuture<Void> drain() {
    draining = true;
    if (unanswered.get() == 0) {
      drained.complete(null);
    }
    return drained;
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
  private void respondAndCount(Request req, Responder responder, Outcome o) {
    try {
      responder.respond(req, o);
    } finally {
      if (unanswered.decrementAndGet() == 0 && draining) {
        drained.complete(null);
      }
    }
  }

  private Outcome error(RpcException e) {
    return new Outcome(true, codec.errorBytes(e.toErrorObject()));
  }

  private Outcome internalError(Request req, Throwable t) {
    String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    log.warn("handler of \"{}\" failed (ref {})", req.method(), ref, t);
    return error(new InternalErrorException("internal error in \"" + req.method()
        + "\"; see the server log, ref " + ref,
        codec.mapper().createObjectNode().put("ref", ref)));
  }

  /** One admitted call: runs the handler once and delivers the outcome. */
  private final class Call implements Runnable, CallContext {
    private final Request req;
    private final Registration<?, ?> reg;
    private final Object params;
    private final Deadline deadline;
    private final String key;
    private final Responder responder;

    Call(Request req, Registration<?, ?> reg, Object params, Deadline deadline, String key,
        Responder responder) {
      this.req = req;
      this.reg = reg;
      this.params = params;
      this.deadline = deadline;
      this.key = key;
      this.responder = responder;
    }

    @Override
    public void run() {
      if (deadline != null && deadline.isExpired()) {
        reject(new DeadlineExceededException("the deadline passed while the call waited in the "
            + "queue; the handler did not run"));
        return;
      }
      Outcome o;
      try {
        o = success(reg.invokeSync(params, this));
      } catch (Throwable t) {
        o = failure(t);
      }
      finish(o);
    }

    void runAsync() {
      CompletionStage<?> stage;
      try {
        stage = reg.invokeAsync(params, this);
      } catch (Throwable t) {
        finish(failure(t));
        return;
      }
      stage.whenComplete((r, t) -> {
        Outcome o;
        try {
          o = t == null ? success(r) : failure(t);
        } catch (Throwable t2) {
          o = failure(t2);
        }
        finish(o);
      });
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
      Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      if (cause instanceof RpcException e) {
        return error(e);
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
  }

}

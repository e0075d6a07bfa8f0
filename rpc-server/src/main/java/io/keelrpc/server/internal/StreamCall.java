package io.keelrpc.server.internal;

import io.keelrpc.core.CancelledException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamCredit;
import io.keelrpc.core.wire.StreamInbox;
import io.keelrpc.core.wire.StreamKind;
import io.keelrpc.core.wire.StreamMessage;
import io.keelrpc.core.wire.StreamWaitObserver;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.InboundStream;
import io.keelrpc.server.ServerStream;
import io.keelrpc.server.idempotency.Outcome;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted streaming call on the server: runs its handler once on the worker pool, paces the
 * items it sends by the caller's credit, buffers the caller's items within the window it granted,
 * and answers once, which ends the stream.
 *
 * <p>Its state goes {@code QUEUED -> RUNNING} when a worker starts it, or {@code QUEUED ->
 * SKIPPED} when it is cancelled before. The answer is sent by whoever ends the stream first: the
 * handler returning or throwing, a cancel while queued, or a protocol violation by the caller
 * (answered at once with INVALID_REQUEST or INVALID_PARAMS while the handler is told to stop).
 * The admission slot is held until the handler has returned. Streams are not deduplicated: the
 * idempotency cache is not used.
 *
 * <p>A cancel ({@code $/cancel}), a connection that closes, or a violation mark the call cancelled:
 * {@link CallContext#isCancelled()} turns true, and {@code send}/{@code next} waiting or called
 * later throw {@link CancelledException} (or the violation).
 */
final class StreamCall implements Runnable, CallContext, Dispatcher.Ticket {
  private static final Logger log = LoggerFactory.getLogger(StreamCall.class);

  /**
   * The credit the server grants a caller that sends items: items of one stream buffered on the
   * server never exceed it. {@code maxStreamCredit} lowers it, and caps the credit the server
   * honours (see docs/protocol.md, "Limits").
   */
  static final int INBOUND_WINDOW = 64;

  private final java.security.Principal principal; // null without an authenticator
  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private final Request req;
  private final Registration<?, ?> reg;
  private final Object params;
  private final Deadline deadline;
  private final Dispatcher.Responder responder;
  private final ServerStreamLink link;
  private final StreamInbox<Object> inbox; // null if the caller sends no items
  private final StreamCredit credit; // null if the server sends no items
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private final KeelContext context;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final Object writeLock = new Object();
  volatile int state = QUEUED;

  StreamCall(Dispatcher dispatcher, MessageCodec codec, Request req, Registration<?, ?> reg,
      Object params, Deadline deadline, Dispatcher.Responder responder, ServerStreamLink link,
      java.security.Principal principal) {
    this.principal = principal;
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.req = req;
    this.reg = reg;
    this.params = params;
    this.deadline = deadline;
    this.responder = responder;
    this.link = link;
    StreamKind kind = reg.streamKind();
    this.inbox = kind.clientSendsItems()
        ? new StreamInbox<>(Math.min(INBOUND_WINDOW, link.maxCredit()), link::grantCredit, StreamWaitObserver.NONE) : null;
    this.credit = kind.serverSendsItems() ? new StreamCredit(StreamWaitObserver.NONE) : null;
    if (credit != null) {
      grantCapped(req.meta().credit());
    }
    KeelContext c = KeelContext.root().withCancellation(cancelled);
    this.context = deadline == null ? c : c.withDeadline(deadline);
  }

  /**
   * Honours the caller's credit up to the server's cap: at most {@code link.maxCredit()} items
   * outstanding, however much the caller grants (the server simply sends less).
   */
  private void grantCapped(long n) {
    long honoured = Math.min(n, link.maxCredit() - credit.available());
    if (honoured > 0) {
      credit.grant(honoured);
    }
  }

  /** Grants the caller its first credit, if it sends items: it may send while the call queues. */
  void open() {
    if (inbox != null) {
      link.grantCredit(inbox.window());
    }
  }

  @Override
  public void run() {
    if (!STATE.compareAndSet(this, QUEUED, RUNNING)) {
      return; // cancelled while queued, and answered then
    }
    Outcome o;
    if (deadline != null && deadline.isExpired()) {
      o = dispatcher.error(new DeadlineExceededException("the deadline passed while the stream "
          + "waited in the queue; the handler did not run"));
    } else {
      KeelContext.Scope scope = context.attach();
      try {
        o = success(reg.invokeStream(params, this));
      } catch (Throwable t) {
        o = failure(t);
      } finally {
        scope.close();
      }
    }
    closeEnds(new IllegalStateException("the handler of stream \"" + req.method()
        + "\" has returned; the stream is over"));
    dispatcher.released();
    answer(o);
  }

  /** Cancelled by the caller ({@code $/cancel}). */
  @Override
  public void cancel() {
    stop(new CancelledException("the caller cancelled the stream"));
  }

  /** Refuses a call that was admitted but cannot be run (the worker pool is shut down). */
  void refuse(RpcException e) {
    stop(e);
  }

  /** The connection closed: nobody can receive the items any more. */
  void connectionLost() {
    stop(new CancelledException("the stream's connection closed"));
  }

  /** The caller broke the stream protocol: answered at once with {@code e}, the handler stopped. */
  void violation(RpcException e) {
    log.debug("stream {} \"{}\": {}", req.id(), req.method(), e.getMessage());
    answer(dispatcher.error(e));
    stop(e);
  }

  private void stop(RuntimeException why) {
    if (STATE.compareAndSet(this, QUEUED, SKIPPED)) {
      cancelled.complete(null);
      closeEnds(why);
      dispatcher.released();
      answer(dispatcher.error(why instanceof RpcException e ? e
          : new CancelledException(why.getMessage())));
      return;
    }
    cancelled.complete(null);
    closeEnds(why);
  }

  private void closeEnds(RuntimeException why) {
    if (inbox != null) {
      inbox.abort(why);
    }
    if (credit != null) {
      credit.close(why);
    }
  }

  private void answer(Outcome o) {
    if (answered.compareAndSet(false, true)) {
      dispatcher.respondAndCount(req, responder, o);
    }
  }

  private Outcome success(Object result) {
    try {
      return new Outcome(false, codec.writeValueAsBytes(result));
    } catch (Exception e) {
      return dispatcher.internalError(req, e);
    }
  }

  private Outcome failure(Throwable t) {
    Throwable cause = Dispatcher.unwrap(t);
    if (cause instanceof RpcException e) {
      return dispatcher.error(e);
    }
    if (cause instanceof CancellationException && cancelled.isDone()) {
      return dispatcher.error(new CancelledException("stream \"" + req.method()
          + "\" stopped after it was cancelled"));
    }
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return dispatcher.internalError(req, cause);
  }

  // ------------------------------------------------------------ messages from the caller

  /** One stream notification from the caller; on the connection's I/O thread. */
  void onMessage(StreamMessage m) {
    switch (m.type()) {
      case ITEM:
        onItem(m);
        break;
      case CREDIT:
        if (credit != null && m.n() >= 1) {
          grantCapped(m.n());
        }
        break;
      case END:
        if (inbox != null) {
          String problem = inbox.end(m.count());
          if (problem != null) {
            violation(new InvalidRequestException("stream " + req.id() + ": " + problem));
          }
        }
        break;
      default:
        throw new AssertionError(m.type());
    }
  }

  private void onItem(StreamMessage m) {
    if (inbox == null) {
      violation(new InvalidRequestException("stream " + req.id() + " (\"" + req.method()
          + "\") is a server stream: the caller sends no items"));
      return;
    }
    if (m.itemCount() == 0) {
      violation(new InvalidRequestException("stream " + req.id() + ": item message " + m.seq()
          + " has neither \"item\" nor a non-empty \"items\" (or both)"));
      return;
    }
    Class<?> type = reg.method().paramsType();
    for (int i = 0; i < m.itemCount(); i++) {
      long seq = m.seq() == StreamMessage.ABSENT ? StreamMessage.ABSENT : m.seq() + i;
      Object item;
      try {
        item = codec.bind(m.items()[i], type);
      } catch (Exception e) {
        violation(new InvalidParamsException("stream " + req.id() + ": item " + seq
            + " does not bind to " + type.getSimpleName() + ": "
            + ParamsBinder.forCaller(e.getMessage())));
        return;
      }
      if (item == null) {
        violation(new InvalidParamsException("stream " + req.id() + ": item " + seq
            + " is null (expected: " + type.getSimpleName() + ")"));
        return;
      }
      String problem = inbox.offerDeferred(seq, item);
      if (problem != null) {
        violation(new InvalidRequestException("stream " + req.id() + ": " + problem));
        return;
      }
    }
    inbox.signalArrivals(); // one wake-up for the message's items
  }

  // ------------------------------------------------------------ the handler's view

  ServerStream<Object> outbound() {
    if (credit == null) {
      throw new IllegalStateException("a client stream sends no items");
    }
    return out;
  }

  InboundStream<Object> inbound() {
    if (inbox == null) {
      throw new IllegalStateException("a server stream receives no items");
    }
    return in;
  }

  private final ServerStream<Object> out = new ServerStream<>() {
    @Override
    public void send(Object item) {
      byte[] json = codec.writeValueAsBytes(Objects.requireNonNull(item, "item"));
      try {
        credit.acquire(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException("interrupted while waiting for the caller's credit");
      }
      write(json);
    }

    @Override
    public boolean trySend(Object item) {
      byte[] json = codec.writeValueAsBytes(Objects.requireNonNull(item, "item"));
      if (!credit.tryAcquire()) {
        return false;
      }
      write(json);
      return true;
    }

    @Override
    public boolean isReady() {
      return credit.isReady();
    }

    @Override
    public void onReady(Runnable callback) {
      credit.onReady(callback);
    }

    @Override
    public long sent() {
      return credit.used();
    }
  };

  private void write(byte[] json) {
    synchronized (writeLock) { // items are numbered in the order they are added
      link.sendItem(json);
    }
  }

  private Object takeItem() {
    try {
      return inbox.take(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the caller's next item");
    }
  }

  private final InboundStream<Object> in = new InboundStream<>() {
    @Override
    public Object next() {
      return takeItem();
    }

    @Override
    public Iterator<Object> iterator() {
      return new Iterator<>() {
        private Object next;
        private boolean done;

        @Override
        public boolean hasNext() {
          if (next == null && !done) {
            next = takeItem();
            done = next == null;
          }
          return next != null;
        }

        @Override
        public Object next() {
          if (!hasNext()) {
            throw new NoSuchElementException("the caller ended its items");
          }
          Object item = next;
          next = null;
          return item;
        }
      };
    }

    @Override
    public long received() {
      return inbox.received();
    }
  };

  // ------------------------------------------------------------ CallContext

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

  /** Streams are not deduplicated: always empty. */
  @Override
  public Optional<String> idempotencyKey() {
    return Optional.empty();
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
  public Optional<java.security.Principal> principal() {
    return Optional.ofNullable(principal);
  }

  @Override
  public Optional<ConnectionInfo> connection() {
    return Optional.ofNullable(responder.connection());
  }

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int SKIPPED = 2;
  private static final AtomicIntegerFieldUpdater<StreamCall> STATE =
      AtomicIntegerFieldUpdater.newUpdater(StreamCall.class, "state");
}

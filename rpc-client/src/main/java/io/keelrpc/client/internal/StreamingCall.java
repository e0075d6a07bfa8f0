package io.keelrpc.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.client.StreamStats;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.StreamIdleTimeoutException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.RawResponse;
import io.keelrpc.core.wire.StreamCredit;
import io.keelrpc.core.wire.StreamInbox;
import io.keelrpc.core.wire.StreamItemWriter;
import io.keelrpc.core.wire.StreamKind;
import io.keelrpc.core.wire.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming call on the client, of any {@link StreamKind}: opens it on a connection, paces
 * the items it sends by the server's credit, buffers the server's items within the window it
 * grants, runs the idle timeout and the deadline, and ends exactly once. The public stream types
 * are thin typed views of it.
 *
 * <p>Ends: the server's answer (a result: items already buffered are still read, then the end; an
 * error: the buffered items, then the error); the connection's loss (likewise, with a
 * {@link TransportException}); or a local end — cancel or close, idle timeout, deadline, a server
 * that broke the protocol, an item that does not bind, the client closing — which drops the buffer
 * and sends {@code $/cancel} if the request went out. Never retried.
 *
 * <p>Writes (the request, items, the end of this side's items) are made under {@code writeLock},
 * so items are numbered in the order they are written and nothing is written once the stream has
 * ended here.
 */
final class StreamingCall {
  private static final Logger log = LoggerFactory.getLogger(StreamingCall.class);

  private final ClientStreams owner;
  private final MessageCodec codec;
  private final MethodDescriptor<?, ?> method;
  private final StreamKind kind;
  private final String id;
  private final JsonNode idNode;
  private final byte[] params;
  private final Deadline deadline; // null: none
  private final Duration idleTimeout;
  private final StreamInbox<Object> inbox; // null if the server sends no items
  private final StreamCredit credit; // null if this side sends no items
  private final IdleTimer idle;
  /** The server's answer (the result of a client stream, else null), or the stream's failure. */
  final CompletableFuture<Object> result = new CompletableFuture<>();

  private final Object writeLock = new Object();
  private volatile Connection connection;
  // guarded by writeLock
  private boolean opened;
  private boolean halfClosed;
  private StreamItemWriter items; // set when opened, if this side sends items
  // guarded by this
  private boolean ended;
  private Scheduler.Cancellable deadlineTimer;

  StreamingCall(ClientStreams owner, MethodDescriptor<?, ?> method, StreamKind kind, String id,
      byte[] params, Deadline deadline, Duration idleTimeout, int window) {
    this.owner = owner;
    this.codec = owner.codec();
    this.method = method;
    this.kind = kind;
    this.id = id;
    this.idNode = TextNode.valueOf(id);
    this.params = params;
    this.deadline = deadline;
    this.idleTimeout = idleTimeout;
    this.idle = new IdleTimer(owner.scheduler(), owner.ticker(), idleTimeout.toNanos(),
        () -> endLocally(new StreamIdleTimeoutException(method.name(), idleTimeout)));
    this.inbox = kind.serverSendsItems() ? new StreamInbox<>(window, this::grant, idle) : null;
    this.credit = kind.clientSendsItems() ? new StreamCredit(idle) : null;
  }

  String id() {
    return id;
  }

  /** Opens the stream on a connection; failures end it. */
  void start() {
    if (deadline != null) {
      long nanos = deadline.remainingNanos();
      if (nanos <= 0) {
        endFromPeer(new DeadlineExceededException("the budget of stream \"" + method.name()
            + "\" was spent before it opened; nothing was sent"));
        return;
      }
      Scheduler.Cancellable t = owner.scheduler().schedule(() -> endLocally(
          new DeadlineExceededException("the deadline of stream \"" + method.name() + "\" passed")),
          nanos);
      synchronized (this) {
        deadlineTimer = t;
        if (ended) {
          t.cancel();
        }
      }
    }
    owner.connection().whenComplete((conn, err) -> {
      if (err != null) {
        endFromPeer(err instanceof KeelException k ? k
            : new TransportException("cannot connect: " + err.getMessage(), false, err));
      } else {
        open(conn);
      }
    });
  }

  private void open(Connection conn) {
    connection = conn; // before registering: an end that misses the registration sees it
    if (!conn.registerStream(id, this)) {
      endFromPeer(new TransportException("connection closed before the stream was opened", false,
          null));
      return;
    }
    synchronized (writeLock) {
      if (result.isDone()) {
        conn.unregisterStream(id, this);
        return;
      }
      long timeoutMs = deadline == null ? Meta.NO_TIMEOUT
          : Math.max(1, deadline.remainingNanos() / 1_000_000);
      Channel ch = conn.channel();
      ByteBuf frame = codec.writeStreamRequest(ch.alloc(), id, method.name(), params, timeoutMs,
          kind, inbox == null ? 0 : inbox.window(), owner.authorization());
      ch.writeAndFlush(frame).addListener(f -> {
        if (!f.isSuccess()) {
          endFromPeer(new TransportException("cannot send the request opening stream \""
              + method.name() + "\": " + f.cause().getMessage(), false, f.cause()));
        }
      });
      opened = true;
      if (credit != null) {
        items = new StreamItemWriter(codec, idNode, true, conn.streamWrites());
        if (halfClosed) {
          items.end();
        }
      }
    }
  }

  // ------------------------------------------------------------ the caller's side

  /** Sends one item; see {@link io.keelrpc.client.BidiStream#send}. */
  void send(Object item) {
    if (credit == null) {
      throw new IllegalStateException("stream \"" + method.name() + "\" is a server stream: "
          + "the client sends no items");
    }
    byte[] json = codec.writeValueAsBytes(Objects.requireNonNull(item, "item"));
    checkNotHalfClosed();
    try {
      credit.acquire(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new CancellationException("interrupted while waiting for credit; the stream was "
          + "cancelled");
    }
    synchronized (writeLock) {
      checkNotHalfClosed();
      if (result.isDone()) {
        throw credit.closedReason() != null ? credit.closedReason()
            : new IllegalStateException("the stream has ended");
      }
      items.add(json); // opened: credit comes only from the server
    }
  }

  private void checkNotHalfClosed() {
    synchronized (writeLock) {
      if (halfClosed) {
        throw new IllegalStateException("stream \"" + method.name()
            + "\": send after complete()");
      }
    }
  }

  /** Ends this side's items; calling it again does nothing. */
  void halfClose() {
    synchronized (writeLock) {
      if (halfClosed) {
        return;
      }
      halfClosed = true;
      if (items != null && !result.isDone()) {
        items.end();
      }
    }
  }

  /** The next item, waiting; null at the end. */
  Object next() {
    try {
      return inbox().take(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new CancellationException("interrupted while waiting for the next item; the stream "
          + "was cancelled");
    }
  }

  CompletableFuture<Object> nextAsync() {
    return inbox().takeAsync();
  }

  private StreamInbox<Object> inbox() {
    if (inbox == null) {
      throw new IllegalStateException("stream \"" + method.name() + "\" is a client stream: "
          + "the server sends no items");
    }
    return inbox;
  }

  /** The answer, as a future that waits (for the idle timeout) while it is pending. */
  CompletableFuture<Object> awaitResult() {
    if (result.isDone()) {
      return result;
    }
    idle.waiting();
    result.whenComplete((r, t) -> idle.doneWaiting());
    return result;
  }

  /** Cancels the stream here and, if it has not ended, on the server. */
  void cancel() {
    CancellationException e = new CancellationException("stream \"" + method.name() + "\" ("
        + id + ") was cancelled by the caller");
    if (!endLocally(e) && inbox != null) {
      inbox.abort(e); // ended already: what is buffered is dropped all the same
    }
  }

  boolean isDone() {
    return result.isDone();
  }

  StreamStats stats() {
    return new StreamStats(inbox == null ? 0 : inbox.received(),
        inbox == null ? 0 : inbox.buffered(), inbox == null ? 0 : inbox.maxBuffered(),
        inbox == null ? 0 : inbox.window(), credit == null ? 0 : credit.used(),
        credit == null ? 0 : credit.available());
  }

  private void grant(int n) {
    Connection conn = connection;
    if (conn != null && !result.isDone()) {
      conn.streamWrites().write(StreamMessage.writeCredit(codec, conn.channel().alloc(), idNode,
          true, n));
    }
  }

  // ------------------------------------------------------------ from the connection (I/O thread)

  /**
   * One message of this stream from the server.
   *
   * @return true if it buffered an item without waking the reader: the connection calls
   *     {@link #signalArrivals()} once it has handled everything it read
   */
  boolean onMessage(StreamMessage m) {
    idle.arrived();
    switch (m.type()) {
      case ITEM:
        return onItem(m);
      case CREDIT:
        if (credit != null && m.n() >= 1) {
          credit.grant(m.n());
        }
        return false;
      case END:
        log.debug("ignoring {}: a server ends a stream with its answer", m);
        return false;
      default:
        throw new AssertionError(m.type());
    }
  }

  /** Wakes the reader for the items buffered by {@link #onMessage}. */
  void signalArrivals() {
    inbox.signalArrivals();
  }

  private boolean onItem(StreamMessage m) {
    if (inbox == null) {
      violation("it sent an item in a client stream");
      return false;
    }
    if (m.itemCount() == 0) {
      violation("item message " + m.seq() + " has neither \"item\" nor a non-empty \"items\" "
          + "(or both)");
      return false;
    }
    for (int i = 0; i < m.itemCount(); i++) {
      long seq = m.seq() == StreamMessage.ABSENT ? StreamMessage.ABSENT : m.seq() + i;
      Object item;
      try {
        item = codec.bind(m.items()[i], method.resultType());
      } catch (Exception e) {
        endLocally(new ResponseDecodingException("item " + seq + " of stream \""
            + method.name() + "\" does not bind to " + method.resultType().getSimpleName()
            + ": " + e.getMessage(), e));
        return false;
      }
      if (item == null) {
        endLocally(new ResponseDecodingException("item " + seq + " of stream \""
            + method.name() + "\" is null (expected: " + method.resultType().getSimpleName()
            + ")", null));
        return false;
      }
      String problem = inbox.offerDeferred(seq, item);
      if (problem != null) {
        violation(problem);
        return false;
      }
    }
    return true;
  }

  private void violation(String problem) {
    endLocally(new TransportException("stream \"" + method.name() + "\" (" + id
        + "): the server broke the stream protocol: " + problem, true, null));
  }

  void onAnswer(RawResponse response) {
    idle.arrived();
    if (response.isError()) {
      endFromPeer(RpcException.from(response.error()));
      return;
    }
    Object value = null;
    if (kind == StreamKind.CLIENT && method.resultType() != Void.class) {
      try {
        value = codec.bind(response.result(), method.resultType());
      } catch (Exception e) {
        endLocally(new ResponseDecodingException("the result of stream \"" + method.name()
            + "\" does not bind to " + method.resultType().getSimpleName() + ": "
            + e.getMessage(), e));
        return;
      }
    }
    if (!claimEnd()) {
      return;
    }
    result.complete(value); // first: a reader that sees the end sees the stream done
    if (inbox != null) {
      inbox.end(StreamMessage.ABSENT);
    }
    if (credit != null) {
      credit.close(new IllegalStateException("stream \"" + method.name()
          + "\" has ended: the server answered"));
    }
    finish(false);
  }

  void onConnectionLost(TransportException e) {
    endFromPeer(e);
  }

  // ------------------------------------------------------------ ending

  /** Ends the stream with a failure that came from the server or the network. */
  private void endFromPeer(RuntimeException e) {
    if (!claimEnd()) {
      return;
    }
    result.completeExceptionally(e);
    if (inbox != null) {
      inbox.fail(e); // what arrived before is still read
    }
    if (credit != null) {
      credit.close(e);
    }
    finish(false);
  }

  /** Ends the stream from this side, dropping the buffer and cancelling it on the server. */
  boolean endLocally(RuntimeException e) {
    if (!claimEnd()) {
      return false;
    }
    result.completeExceptionally(e);
    if (inbox != null) {
      inbox.abort(e);
    }
    if (credit != null) {
      credit.close(e);
    }
    finish(true);
    return true;
  }

  private synchronized boolean claimEnd() {
    if (ended) {
      return false;
    }
    ended = true;
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    return true;
  }

  private void finish(boolean cancelOnServer) {
    idle.stop();
    Connection conn;
    boolean sent;
    synchronized (writeLock) { // an open() in progress has written the request, or will not
      conn = connection;
      sent = opened;
    }
    if (conn != null) {
      conn.unregisterStream(id, this);
      if (cancelOnServer && sent) {
        conn.sendCancel(id);
      }
    }
    owner.forget(this);
  }
}

package io.keelrpc.examples.time;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The time service of seed {@code 004_292a3b7af85865bd.txt}, as the seed's Go client calls it:
 * {@code TimeService.RequestTimeStream {UpdateInterval, Duration}} starts a stream on the caller's
 * connection and returns its first update; each {@code TimeService.GetNextUpdate {}} returns the
 * next one, when it is due, until the one with {@code IsFinal}. The updates and their pacing are a
 * {@link TimeStream}.
 *
 * <pre>{@code
 * TimeService time = new TimeService(Ticker.system(), scheduler, Clock.systemUTC());
 * KeelServer server = time.registerOn(KeelServer.builder().port(7080)).start();
 * // Go:  client.Call("TimeService.RequestTimeStream", TimeRequest{1, 60}, &first)
 * //      client.Call("TimeService.GetNextUpdate", struct{}{}, &next)   // until next.IsFinal
 * }</pre>
 *
 * <p><b>Per connection.</b> A stream belongs to the connection that requested it (both
 * {@code keel/1} and Go connections carry one, see {@link CallContext#connection()}): another
 * connection does not see it, a new {@code RequestTimeStream} on the same connection replaces it,
 * and it is dropped, with its timers, when the connection closes or the final update has gone out.
 *
 * <p><b>Without blocking.</b> {@code GetNextUpdate} is asynchronous: a call made before its update
 * is due holds no thread, only a task on the injected {@link Scheduler}, and is answered when that
 * task runs. Several calls may wait at once on one connection (a Go client multiplexes): each takes
 * the next sequence number and is answered at that update's time. While it waits a call counts
 * against the server's admission limit and the connection's in-flight limit like any call.
 *
 * <p><b>Errors</b> are {@link ApplicationException}s with the seed's codes ({@link TimeErrors}):
 * 1001 without a connection, 1002 for a bad {@code UpdateInterval} or {@code Duration}, 1003 for
 * {@code GetNextUpdate} without an open stream, 1004 for a waiting {@code GetNextUpdate} whose
 * stream was replaced or stopped. A {@code keel/1} caller that cancels a waiting call
 * ({@code $/cancel}) gives its sequence number back when no later call has taken one since, so
 * the next call gets that update and the stream keeps no gap.
 */
public final class TimeService implements AutoCloseable {
  /** {@code TimeService.RequestTimeStream}: starts a stream, returns update 0. */
  public static final MethodDescriptor<TimeRequest, TimeResponse> REQUEST_TIME_STREAM =
      MethodDescriptor.of("TimeService.RequestTimeStream", TimeRequest.class, TimeResponse.class);
  /** {@code TimeService.GetNextUpdate}: the next update of this connection's stream, when due. */
  public static final MethodDescriptor<NextUpdateRequest, TimeResponse> GET_NEXT_UPDATE =
      MethodDescriptor.of("TimeService.GetNextUpdate", NextUpdateRequest.class,
          TimeResponse.class);

  private static final ConnectionInfo.Key<Slot> SLOT = ConnectionInfo.Key.of("time-stream",
      Slot.class);

  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

  /**
   * A service that paces updates with {@code ticker} and {@code scheduler} and stamps them with
   * {@code clock}'s time and zone.
   */
  public TimeService(Ticker ticker, Scheduler scheduler, Clock clock) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * {@code TimeService.Stream}: the same updates as a native {@code keel/1} server stream, pushed
   * when due; {@code FromSeq} resumes a stream a client lost at the update it needs next.
   */
  public static final MethodDescriptor<TimeStreamRequest, TimeResponse> STREAM =
      MethodDescriptor.of("TimeService.Stream", TimeStreamRequest.class, TimeResponse.class);

  /** Registers the three methods on {@code server}; returns it. */
  public KeelServer.Builder registerOn(KeelServer.Builder server) {
    return server
        .handleNonBlocking(REQUEST_TIME_STREAM, (p, ctx) -> requestTimeStream(p, ctx))
        .handleAsync(GET_NEXT_UPDATE, (p, ctx) -> getNextUpdate(ctx))
        .handleServerStream(STREAM, this::serveStream);
  }

  /**
   * Serves one native stream: each update when it is due, until the final one or the caller's
   * cancel. Waits on the injected scheduler (the worker thread parks on a future, which the cancel
   * completes early) and sends under the caller's credit.
   */
  void serveStream(TimeStreamRequest p, ServerStream<TimeResponse> out, CallContext ctx)
      throws Exception {
    TimeStream stream = TimeStream.resume(new TimeRequest(p.updateInterval(), p.duration()),
        p.fromSeq() == null ? 0 : p.fromSeq(), ticker, clock);
    for (long n = stream.claim(); n >= 0 && !ctx.isCancelled(); n = stream.claim()) {
      long delay = stream.delayNanos(n);
      if (delay > 0) {
        CompletableFuture<Void> due = new CompletableFuture<>();
        Scheduler.Cancellable timer = scheduler.schedule(() -> due.complete(null), delay);
        ctx.onCancel(() -> due.cancel(false));
        try {
          due.get();
        } catch (java.util.concurrent.CancellationException cancelled) {
          timer.cancel();
          return;
        }
      }
      out.send(stream.update(n));
    }
  }

  /**
   * Starts a stream on the caller's connection, replacing the one it had (whose waiting calls get
   * 1004), and returns update 0.
   *
   * @throws ApplicationException 1001 without a connection, 1002 for bad params
   */
  public TimeResponse requestTimeStream(TimeRequest request, CallContext ctx) {
    ConnectionInfo conn = connectionOf(ctx);
    TimeStream stream = TimeStream.start(request, ticker, clock);
    long first = stream.claim();
    Session session = new Session(stream);
    sessions.add(session);
    Slot slot = conn.computeIfAbsent(SLOT, Slot::new);
    if (slot.hooked.compareAndSet(false, true)) {
      conn.onClose(slot::close); // at once if the connection has closed meanwhile
    }
    Session replaced = slot.replace(session);
    if (replaced != null) {
      replaced.terminate("replaced by a new TimeService.RequestTimeStream on this connection");
    }
    return session.deliverNow(slot, first);
  }

  /**
   * The next update of the caller's stream, completed when it is due.
   *
   * @return a stage failed with {@link ApplicationException} 1001 without a connection, 1003
   *     without an open stream, 1004 if the stream is replaced or stopped before the update
   */
  public CompletableFuture<TimeResponse> getNextUpdate(CallContext ctx) {
    Slot slot;
    Session session;
    try {
      slot = connectionOf(ctx).attr(SLOT).orElse(null);
      session = slot == null ? null : slot.current();
      if (session == null) {
        throw TimeErrors.streamNotInitialized("no time stream is open on this connection (none "
            + "was requested, or the last one ended with IsFinal); call "
            + REQUEST_TIME_STREAM.name() + " first");
      }
    } catch (ApplicationException e) {
      return CompletableFuture.failedFuture(e);
    }
    return session.next(slot, ctx);
  }

  /** Streams open now, on every connection. */
  public int activeStreams() {
    return sessions.size();
  }

  /** Stops every open stream; calls waiting for an update get 1004. */
  @Override
  public void close() {
    for (Session s : List.copyOf(sessions)) {
      s.terminate("the time service is shutting down");
    }
  }

  private static ConnectionInfo connectionOf(CallContext ctx) {
    return ctx.connection().orElseThrow(() -> TimeErrors.connectionError("the time service keeps "
        + "each client's stream with its connection, and this call came without one"));
  }

  /** One connection's place for its current stream; registered for cleanup once. */
  private final class Slot {
    final AtomicBoolean hooked = new AtomicBoolean();
    private Session current; // guarded by this
    private boolean closed; // guarded by this

    synchronized Session current() {
      return current;
    }

    /** Makes {@code s} current; returns the stream it replaced. Closed: {@code s} is stopped. */
    Session replace(Session s) {
      Session old;
      synchronized (this) {
        if (closed) {
          old = s;
        } else {
          old = current;
          current = s;
        }
      }
      return old;
    }

    /** Forgets {@code s} if it is current (its final update went out). */
    synchronized void finished(Session s) {
      if (current == s) {
        current = null;
      }
    }

    void close() {
      Session s;
      synchronized (this) {
        closed = true;
        s = current;
        current = null;
      }
      if (s != null) {
        s.terminate("the connection closed");
      }
    }
  }

  /** One open stream and the calls waiting for its updates. */
  private final class Session {
    private final TimeStream stream;
    private final List<Waiting> waiting = new ArrayList<>(); // guarded by this
    private boolean terminated; // guarded by this

    Session(TimeStream stream) {
      this.stream = stream;
    }

    CompletableFuture<TimeResponse> next(Slot slot, CallContext ctx) {
      long sequence;
      Waiting w;
      synchronized (this) {
        if (terminated) {
          return CompletableFuture.failedFuture(TimeErrors.streamNotInitialized(
              "the stream on this connection was stopped; call " + REQUEST_TIME_STREAM.name()));
        }
        sequence = stream.claim();
        if (sequence < 0) {
          return CompletableFuture.failedFuture(TimeErrors.streamNotInitialized("the stream on "
              + "this connection ends at SequenceNum " + stream.finalSequence() + "; call "
              + REQUEST_TIME_STREAM.name() + " to start another"));
        }
        long delay = stream.delayNanos(sequence);
        if (delay == 0) {
          w = null;
        } else {
          w = new Waiting(sequence);
          waiting.add(w);
          w.timer = scheduler.schedule(() -> due(slot, w), delay);
        }
      }
      if (w == null) {
        return CompletableFuture.completedFuture(deliverNow(slot, sequence));
      }
      ctx.onCancel(() -> cancel(w));
      return w.future;
    }

    /** The update {@code sequence}; the stream ends here if it is the final one. */
    TimeResponse deliverNow(Slot slot, long sequence) {
      TimeResponse update = stream.update(sequence);
      if (update.finalUpdate()) {
        synchronized (this) {
          terminated = true;
        }
        slot.finished(this);
        sessions.remove(this);
      }
      return update;
    }

    private void due(Slot slot, Waiting w) {
      synchronized (this) {
        if (!waiting.remove(w)) {
          return; // cancelled or terminated meanwhile
        }
      }
      w.future.complete(deliverNow(slot, w.sequence));
    }

    private void cancel(Waiting w) {
      synchronized (this) {
        if (!waiting.remove(w)) {
          return;
        }
        w.timer.cancel();
        stream.unclaim(w.sequence);
      }
      w.future.completeExceptionally(new CancelledException("GetNextUpdate for SequenceNum "
          + w.sequence + " was cancelled by its caller; the next call gets that update"));
    }

    void terminate(String why) {
      List<Waiting> stopped;
      synchronized (this) {
        terminated = true;
        stopped = List.copyOf(waiting);
        waiting.clear();
      }
      sessions.remove(this);
      for (Waiting w : stopped) {
        w.timer.cancel();
        w.future.completeExceptionally(TimeErrors.streamTerminated("SequenceNum " + w.sequence
            + " was not sent: " + why));
      }
    }
  }

  /** A {@code GetNextUpdate} call waiting for its update. */
  private static final class Waiting {
    final long sequence;
    final CompletableFuture<TimeResponse> future = new CompletableFuture<>();
    Scheduler.Cancellable timer;

    Waiting(long sequence) {
      this.sequence = sequence;
    }
  }
}

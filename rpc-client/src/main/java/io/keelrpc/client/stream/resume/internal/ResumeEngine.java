package io.keelrpc.client.stream.resume.internal;

import io.keelrpc.client.stream.resume.ReconnectsExhaustedException;
import io.keelrpc.client.stream.resume.ResumableStreamStats;
import io.keelrpc.client.stream.resume.Sequenced;
import io.keelrpc.client.stream.resume.SequencedSource;
import io.keelrpc.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind a {@link io.keelrpc.client.stream.resume.ResumableStream}: one
 * connection at a time, the {@link ReorderWindow}, the gap timer, the reconnect timer and the
 * {@link Delivery}.
 *
 * <p>All state is guarded by {@code this}. Foreign code — the source's {@code open},
 * {@code requestRetransmit} and {@code close}, the consumer, the executor — is called after the
 * lock is let go; only the {@link Scheduler} (Keel's own interface, which never runs a task
 * inline) is called under it. Each connection is a {@link Conn} object; callbacks of a connection
 * that is no longer the current one are ignored, so a source needs no guards against late calls.
 *
 * <p>Reconnects: the {@code n}-th reconnect since the stream last released an item waits
 * {@code reconnectBackoff.backoffNanos(n, previous, random)}; releasing an item resets {@code n}.
 * When {@code n} would reach the policy's {@code maxAttempts}, the stream gives up.
 *
 * @param <T> the payload type
 */
public final class ResumeEngine<T> {
  private static final Logger log = LoggerFactory.getLogger(ResumeEngine.class);

  private final SequencedSource<T> source;
  private final Settings settings;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Delivery<T> delivery;
  private final Consumer<Sequenced<T>> release;

  // guarded by this
  private final ReorderWindow<T> window;
  private boolean terminated;
  private Conn current;
  private Scheduler.Cancellable gapTimer;
  private long gapTimerDue;
  private long gapTimerGen;
  private Scheduler.Cancellable reconnectTimer;
  private long reconnectGen;
  private int reconnectsInARow;
  private long previousBackoffNanos;
  private long delivered;
  private long duplicates;
  private long reordered;
  private long retransmits;
  private long reconnects;
  private long overflows;

  /**
   * An engine that has not opened its source yet: see {@link #start()}.
   *
   * @param consumer receives every item once, in order, as {@code settings} says where
   */
  public ResumeEngine(SequencedSource<T> source, Settings settings,
      Consumer<? super Sequenced<T>> consumer) {
    this.source = Objects.requireNonNull(source, "source");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.window = new ReorderWindow<>(settings.window(), settings.fromSeq());
    this.delivery = new Delivery<>(settings.executor(), settings.scheduler(),
        Objects.requireNonNull(consumer, "consumer"), done, this::terminate);
    this.release = item -> {
      delivered++;
      delivery.enqueue(item);
    };
  }

  /** Opens the first connection, on the calling thread. */
  public void start() {
    open();
  }

  /** Completes normally on {@link #close()}, exceptionally when the stream gives up or fails. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** The next sequence number to deliver: the resume point. */
  public synchronized long nextSeq() {
    return window.next();
  }

  /** A snapshot of the counters. */
  public synchronized ResumableStreamStats stats() {
    return new ResumableStreamStats(delivered, duplicates, reordered, retransmits, reconnects,
        overflows);
  }

  /** Stops everything: timers, the connection, deliveries not yet made. Idempotent. */
  public void close() {
    SequencedSource.Handle handle;
    synchronized (this) {
      handle = stopLocked();
    }
    delivery.close();
    closeQuietly(handle);
    done.complete(null);
  }

  /** Fails the stream at once: the consumer threw, or the executor refused a delivery. */
  private void terminate(Throwable cause) {
    SequencedSource.Handle handle;
    synchronized (this) {
      handle = stopLocked();
    }
    delivery.close();
    closeQuietly(handle);
    done.completeExceptionally(cause);
  }

  /** Marks the stream terminated, cancels its timers; returns the handle to close. */
  private SequencedSource.Handle stopLocked() {
    terminated = true;
    cancelGapTimerLocked();
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
    }
    reconnectGen++;
    window.clear();
    SequencedSource.Handle handle = null;
    if (current != null) {
      handle = current.handle;
      current = null;
    }
    return handle;
  }

  private void open() {
    Conn conn;
    long from;
    synchronized (this) {
      if (terminated) {
        return;
      }
      conn = new Conn();
      current = conn;
      from = window.next();
    }
    SequencedSource.Handle handle;
    try {
      handle = Objects.requireNonNull(
          source.open(from, conn::onItem, conn::onFailure), "source.open returned null");
    } catch (RuntimeException e) {
      onFailure(conn, e);
      return;
    }
    boolean keep;
    synchronized (this) {
      keep = current == conn;
      if (keep) {
        conn.handle = handle;
        long now = settings.ticker().nanoTime();
        long due = ReorderWindow.saturatedAdd(now, settings.gapTimeoutNanos());
        window.resetDue(due); // the new connection resends from next: give it a gap timeout
        if (window.hasGap()) {
          cancelGapTimerLocked();
          scheduleGapTimerLocked(due, now);
        }
      }
    }
    if (!keep) {
      closeQuietly(handle); // failed during open, or the stream was closed meanwhile
    }
  }

  private void onItem(Conn conn, Sequenced<T> item) {
    if (item == null) {
      onFailure(conn, new NullPointerException("source delivered a null item"));
      return;
    }
    SequencedSource.Handle toClose = null;
    synchronized (this) {
      if (current != conn) {
        return;
      }
      long now = settings.ticker().nanoTime();
      switch (window.offer(item, now, settings.gapTimeoutNanos(), release)) {
        case DUPLICATE:
          duplicates++;
          break;
        case HELD:
          reordered++;
          scheduleGapTimerLocked(
              ReorderWindow.saturatedAdd(now, settings.gapTimeoutNanos()), now);
          break;
        case RELEASED:
          reconnectsInARow = 0;
          previousBackoffNanos = 0;
          if (!window.hasGap()) {
            cancelGapTimerLocked();
          }
          break;
        case OVERFLOW:
          overflows++;
          toClose = endConnectionLocked(null);
          break;
        default:
          throw new AssertionError();
      }
    }
    delivery.submitIfNeeded();
    closeQuietly(toClose);
  }

  private void onFailure(Conn conn, Throwable cause) {
    SequencedSource.Handle toClose;
    synchronized (this) {
      if (current != conn) {
        return;
      }
      toClose = endConnectionLocked(cause);
    }
    delivery.submitIfNeeded();
    closeQuietly(toClose);
  }

  /**
   * Ends the current connection and schedules the next, or gives up. The held items stay: the
   * next connection resends from {@code next}, and what is held need not arrive again.
   *
   * @param cause why, {@code null} for a window overflow
   * @return the ended connection's handle, to close outside the lock ({@code null} while its
   *     {@code open} has not returned: {@link #open()} closes it then)
   */
  private SequencedSource.Handle endConnectionLocked(Throwable cause) {
    SequencedSource.Handle handle = current.handle;
    current = null;
    cancelGapTimerLocked();
    int n = ++reconnectsInARow;
    if (n >= settings.reconnectBackoff().maxAttempts()) {
      ReconnectsExhaustedException failure =
          new ReconnectsExhaustedException(n - 1, window.next(), cause);
      terminated = true;
      window.clear();
      delivery.failAfterDrain(failure);
      return handle;
    }
    long delay = settings.reconnectBackoff()
        .backoffNanos(n, previousBackoffNanos, settings.random().getAsDouble());
    previousBackoffNanos = delay;
    long gen = ++reconnectGen;
    reconnectTimer = settings.scheduler().schedule(() -> reconnect(gen), delay);
    if (log.isDebugEnabled()) {
      log.debug("resumable stream: connection ended ({}); reconnect {} from {} in {} ms",
          cause == null ? "window overflow" : cause.toString(), n, window.next(),
          delay / 1_000_000.0);
    }
    return handle;
  }

  private void reconnect(long gen) {
    synchronized (this) {
      if (terminated || gen != reconnectGen) {
        return;
      }
      reconnectTimer = null;
      reconnects++;
    }
    open();
  }

  private void scheduleGapTimerLocked(long dueNanos, long nowNanos) {
    if (gapTimer != null && gapTimerDue <= dueNanos) {
      return;
    }
    cancelGapTimerLocked();
    long gen = gapTimerGen;
    gapTimerDue = dueNanos;
    gapTimer = settings.scheduler().schedule(() -> onGapTimer(gen), dueNanos - nowNanos);
  }

  private void cancelGapTimerLocked() {
    gapTimerGen++;
    if (gapTimer != null) {
      gapTimer.cancel();
      gapTimer = null;
    }
  }

  private void onGapTimer(long gen) {
    Conn conn;
    SequencedSource.Handle handle;
    List<long[]> ranges = new ArrayList<>();
    synchronized (this) {
      if (gen != gapTimerGen) {
        return;
      }
      gapTimer = null;
      conn = current;
      if (terminated || conn == null || !window.hasGap()) {
        return;
      }
      long now = settings.ticker().nanoTime();
      handle = conn.handle;
      if (handle == null) { // open() has not returned yet: it resets the due times when it does
        scheduleGapTimerLocked(ReorderWindow.saturatedAdd(now, settings.gapTimeoutNanos()), now);
        return;
      }
      long next = window.collectDue(now, settings.gapTimeoutNanos(), ranges);
      retransmits += ranges.size();
      if (next != Long.MAX_VALUE) {
        scheduleGapTimerLocked(next, now);
      }
    }
    try {
      for (long[] r : ranges) {
        handle.requestRetransmit(r[0], r[1]);
      }
    } catch (RuntimeException e) {
      onFailure(conn, e);
    }
  }

  private static void closeQuietly(SequencedSource.Handle handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.close();
    } catch (RuntimeException e) {
      log.warn("resumable stream: closing a source connection failed", e);
    }
  }

  /** One connection: its callbacks name it, so those of an ended connection are ignored. */
  private final class Conn {
    SequencedSource.Handle handle; // guarded by ResumeEngine.this

    void onItem(Sequenced<T> item) {
      ResumeEngine.this.onItem(this, item);
    }

    void onFailure(Throwable cause) {
      ResumeEngine.this.onFailure(this, cause == null ? new NullPointerException("cause") : cause);
    }
  }
}

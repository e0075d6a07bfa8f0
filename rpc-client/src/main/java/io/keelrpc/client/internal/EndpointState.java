package io.keelrpc.client.internal;

import io.keelrpc.client.EndpointStatus;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.time.Scheduler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One endpoint of an {@link EndpointPool}: its link (opened on first use), its health, and the
 * background reconnects after a failure.
 *
 * <p>An endpoint is healthy until a connection attempt fails or its link closes, and healthy
 * again from the next successful connection. While it is down and the pool
 * {@linkplain EndpointPool#reconnectsInBackground() reconnects in the background}, a timer
 * reopens it after a jittered exponential backoff (the pool's reconnect policy, retry number =
 * consecutive failures). At most one opening is in progress at a time: calls that want the
 * endpoint meanwhile wait for that one.
 *
 * <p>State changes under the object's lock; futures are completed and links closed outside it.
 */
final class EndpointState<C> {
  private final EndpointPool<C> pool;
  private final InetSocketAddress address;
  private volatile C link;
  private volatile boolean healthy = true;
  private volatile int joiners;
  private volatile long lastOpenSequence;
  private volatile int failures;

  // guarded by this
  private CompletableFuture<C> opening;
  private C lostLink;
  private long previousBackoffNanos;
  private Scheduler.Cancellable reconnect;
  private boolean retired;

  EndpointState(EndpointPool<C> pool, InetSocketAddress address) {
    this.pool = pool;
    this.address = address;
  }

  InetSocketAddress address() {
    return address;
  }

  boolean isHealthy() {
    return healthy;
  }

  synchronized boolean isOpening() {
    return opening != null;
  }

  /** When this endpoint last started opening (a pool-wide sequence; 0 if never). */
  long lastOpenSequence() {
    return lastOpenSequence;
  }

  /** True if {@code l} is this endpoint's link, or the one it lost last. */
  synchronized boolean owns(C l) {
    return l == link || l == lostLink;
  }

  /** Calls waiting on the link plus calls waiting for it to open. */
  int load() {
    C l = link;
    return (l == null ? 0 : pool.transport().outstanding(l)) + joiners;
  }

  /**
   * The open link, or a future that opens one (or waits for the opening in progress). Fails with
   * a {@link TransportException} ({@code requestSent() == false}) if the connection cannot be
   * opened.
   */
  CompletableFuture<C> acquire() {
    CompletableFuture<C> started;
    synchronized (this) {
      C l = link;
      if (l != null && pool.transport().isOpen(l)) {
        return CompletableFuture.completedFuture(l);
      }
      if (pool.isClosed()) {
        return CompletableFuture.failedFuture(new ClientClosedException("the client is closed"));
      }
      if (retired) {
        return CompletableFuture.failedFuture(new TransportException(
            "endpoint " + name() + " was removed", false, null));
      }
      if (opening != null) {
        joiners++;
        return opening;
      }
      started = beginOpening();
      joiners = 1;
    }
    open(started);
    return started;
  }

  /** Marks an opening in progress; lock held. */
  private CompletableFuture<C> beginOpening() {
    opening = new CompletableFuture<>();
    lastOpenSequence = pool.nextOpenSequence();
    return opening;
  }

  private void open(CompletableFuture<C> result) {
    CompletableFuture<C> f;
    try {
      f = pool.transport().open(address, this::onLinkClosed);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((l, err) -> onOpened(result, l, err));
  }

  private void onOpened(CompletableFuture<C> result, C l, Throwable err) {
    KeelException failure = null;
    boolean discard = false;
    synchronized (this) {
      opening = null;
      joiners = 0;
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null
            ? err.getCause() : err;
        failure = new TransportException("cannot connect to " + name() + ": "
            + cause.getMessage(), false, cause);
        markDown(failures + 1);
      } else if (pool.isClosed() || retired) {
        discard = true;
        failure = pool.isClosed() ? new ClientClosedException("the client is closed")
            : new TransportException("endpoint " + name() + " was removed", false, null);
      } else if (!pool.transport().isOpen(l)) {
        failure = new TransportException("connection to " + name() + " closed as it opened",
            false, null);
        lostLink = l;
        markDown(failures + 1);
      } else {
        link = l;
        healthy = true;
        failures = 0;
        previousBackoffNanos = 0;
        cancelReconnect();
      }
    }
    if (discard) {
      pool.transport().close(l);
    }
    if (failure != null) {
      result.completeExceptionally(failure);
    } else {
      result.complete(l);
    }
  }

  /** The transport saw {@code l} close: the endpoint is down until it reconnects. */
  private void onLinkClosed(C l) {
    synchronized (this) {
      if (link != l) {
        return; // an older link, or one never adopted
      }
      link = null;
      lostLink = l;
      markDown(1);
    }
    pool.linkReleased();
  }

  /** Records a failure and schedules the background reconnect; lock held. */
  private void markDown(int consecutiveFailures) {
    healthy = false;
    failures = consecutiveFailures;
    scheduleReconnect();
  }

  /** (Re)schedules the background reconnect, after the backoff for the failures; lock held. */
  private void scheduleReconnect() {
    if (retired || pool.isClosed() || !pool.reconnectsInBackground()) {
      return;
    }
    cancelReconnect();
    long delay = pool.reconnectBackoff().backoffNanos(Math.max(1, failures),
        previousBackoffNanos, pool.random().getAsDouble());
    previousBackoffNanos = delay;
    reconnect = pool.scheduler().schedule(this::onReconnectDue, delay);
  }

  private void onReconnectDue() {
    CompletableFuture<C> started;
    synchronized (this) {
      reconnect = null;
      C l = link;
      if (retired || pool.isClosed() || opening != null
          || (l != null && pool.transport().isOpen(l))) {
        return;
      }
      started = beginOpening();
    }
    open(started);
  }

  /** Starts the background reconnect of a down endpoint that has none (the pool grew). */
  synchronized void resumeReconnects() {
    if (!healthy && reconnect == null && opening == null) {
      scheduleReconnect();
    }
  }

  /** Stops using this endpoint (gone from the source): no reconnects, no new calls. */
  synchronized void retire() {
    retired = true;
    healthy = false;
    cancelReconnect();
  }

  /** For a retired endpoint: closes the link if no call uses it; true when nothing is left. */
  boolean closeIfDrained() {
    C l;
    synchronized (this) {
      l = link;
      if (opening != null || (l != null && pool.transport().isOpen(l)
          && pool.transport().outstanding(l) > 0)) {
        return false;
      }
      link = null;
    }
    if (l != null) {
      pool.transport().close(l);
    }
    return true;
  }

  /** The client is closing: cancels the reconnect and closes the link. */
  void shutdown() {
    C l;
    synchronized (this) {
      cancelReconnect();
      l = link;
      link = null;
    }
    if (l != null) {
      pool.transport().close(l);
    }
  }

  EndpointStatus status() {
    C l = link;
    return new EndpointStatus(address, healthy, l != null && pool.transport().isOpen(l), load(),
        failures);
  }

  private void cancelReconnect() {
    if (reconnect != null) {
      reconnect.cancel();
      reconnect = null;
    }
  }

  private String name() {
    return address.getHostString() + ":" + address.getPort();
  }

  @Override
  public String toString() {
    return name();
  }
}

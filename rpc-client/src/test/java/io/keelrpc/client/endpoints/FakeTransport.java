package io.keelrpc.client.endpoints;

import io.keelrpc.client.internal.EndpointPool;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Links without sockets for {@link EndpointPool} tests: every address accepts at once unless the
 * test {@linkplain #refuse refuses} it or {@linkplain #hold holds} its openings for completing by
 * hand; a link's load is whatever the test sets.
 */
final class FakeTransport implements EndpointPool.Transport<FakeTransport.Link> {
  /** One fake connection. */
  static final class Link {
    final InetSocketAddress address;
    private final Consumer<Link> onClosed;
    volatile boolean open = true;
    volatile int outstanding;

    Link(InetSocketAddress address, Consumer<Link> onClosed) {
      this.address = address;
      this.onClosed = onClosed;
    }

    /** The peer closed the connection (or the network reset it). */
    void drop() {
      open = false;
      onClosed.accept(this);
    }
  }

  private final Set<InetSocketAddress> refused = new HashSet<>();
  private final Set<InetSocketAddress> held = new HashSet<>();
  private final Map<InetSocketAddress, List<Runnable>> pending = new HashMap<>();
  private final Map<InetSocketAddress, Integer> opens = new HashMap<>();
  private final List<Link> closedByPool = new ArrayList<>();

  static InetSocketAddress address(int port) {
    return InetSocketAddress.createUnresolved("10.0.0." + port, 7000 + port);
  }

  synchronized void refuse(InetSocketAddress a) {
    refused.add(a);
  }

  synchronized void accept(InetSocketAddress a) {
    refused.remove(a);
  }

  /** Openings of {@code a} stay pending until {@link #completeHeld}. */
  synchronized void hold(InetSocketAddress a) {
    held.add(a);
  }

  /** Completes the pending openings of {@code a} (refused or accepted, as set now). */
  void completeHeld(InetSocketAddress a) {
    List<Runnable> todo;
    synchronized (this) {
      held.remove(a);
      todo = pending.remove(a);
    }
    if (todo != null) {
      todo.forEach(Runnable::run);
    }
  }

  /** How many times the pool tried to open {@code a}. */
  synchronized int opens(InetSocketAddress a) {
    return opens.getOrDefault(a, 0);
  }

  synchronized List<Link> closedByPool() {
    return new ArrayList<>(closedByPool);
  }

  @Override
  public CompletableFuture<Link> open(InetSocketAddress address, Consumer<Link> onClosed) {
    CompletableFuture<Link> f = new CompletableFuture<>();
    Runnable finish = () -> {
      boolean refuse;
      synchronized (this) {
        refuse = refused.contains(address);
      }
      if (refuse) {
        f.completeExceptionally(new ConnectException("Connection refused"));
      } else {
        f.complete(new Link(address, onClosed));
      }
    };
    synchronized (this) {
      opens.merge(address, 1, Integer::sum);
      if (held.contains(address)) {
        pending.computeIfAbsent(address, k -> new ArrayList<>()).add(finish);
        return f;
      }
    }
    finish.run();
    return f;
  }

  @Override
  public boolean isOpen(Link link) {
    return link.open;
  }

  @Override
  public int outstanding(Link link) {
    return link.outstanding;
  }

  @Override
  public void close(Link link) {
    synchronized (this) {
      closedByPool.add(link);
    }
    if (link.open) {
      link.drop();
    }
  }
}

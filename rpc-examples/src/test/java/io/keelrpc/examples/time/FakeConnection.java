package io.keelrpc.examples.time;

import io.keelrpc.core.Deadline;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.ConnectionInfo;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link ConnectionInfo} a test opens and closes by hand, with call contexts on it, so the time
 * service can be driven without sockets on virtual time.
 */
final class FakeConnection implements ConnectionInfo {
  private static final AtomicLong IDS = new AtomicLong();

  private final long id = IDS.incrementAndGet();
  private final ConcurrentHashMap<Key<?>, Object> attrs = new ConcurrentHashMap<>();
  private final List<Runnable> closeListeners = new ArrayList<>();
  private boolean open = true;

  /** A context of a call on this connection. */
  Call call() {
    return new Call(this);
  }

  /** Closes the connection: runs the close listeners, then drops the attributes. */
  synchronized void close() {
    open = false;
    closeListeners.forEach(Runnable::run);
    closeListeners.clear();
    attrs.clear();
  }

  /** How many attributes the connection holds. */
  int attributes() {
    return attrs.size();
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public SocketAddress remoteAddress() {
    return new InetSocketAddress("127.0.0.1", 40000);
  }

  @Override
  public String protocol() {
    return GO_JSONRPC;
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public <T> Optional<T> attr(Key<T> key) {
    return Optional.ofNullable(key.type().cast(attrs.get(key)));
  }

  @Override
  public <T> T computeIfAbsent(Key<T> key, Supplier<? extends T> create) {
    return key.type().cast(attrs.computeIfAbsent(key, k -> create.get()));
  }

  @Override
  public <T> Optional<T> putAttr(Key<T> key, T value) {
    return Optional.ofNullable(key.type().cast(attrs.put(key, value)));
  }

  @Override
  public <T> boolean removeAttr(Key<T> key, T expected) {
    return attrs.remove(key, expected);
  }

  @Override
  public void onClose(Runnable listener) {
    synchronized (this) {
      if (open) {
        closeListeners.add(listener);
        return;
      }
    }
    listener.run();
  }

  /** One call's context on a {@link FakeConnection} (or on none); cancellable by the test. */
  static final class Call implements CallContext {
    private final FakeConnection connection;
    private final List<Runnable> cancelListeners = new ArrayList<>();
    private boolean cancelled;

    Call(FakeConnection connection) {
      this.connection = connection;
    }

    /** A context without a connection. */
    static Call withoutConnection() {
      return new Call(null);
    }

    /** Cancels the call as a {@code $/cancel} would. */
    void cancel() {
      cancelled = true;
      cancelListeners.forEach(Runnable::run);
    }

    @Override
    public String method() {
      return "test";
    }

    @Override
    public Optional<Deadline> deadline() {
      return Optional.empty();
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public Optional<String> idempotencyKey() {
      return Optional.empty();
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public void onCancel(Runnable listener) {
      if (cancelled) {
        listener.run();
      } else {
        cancelListeners.add(listener);
      }
    }

    @Override
    public Optional<ConnectionInfo> connection() {
      return Optional.ofNullable(connection);
    }
  }
}

package io.keelrpc.server.internal;

import io.keelrpc.server.ConnectionInfo;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionInfo} of one Netty channel, kept as a channel attribute so that every
 * protocol handler of that channel hands out the same one. Created on first use; its close
 * listeners run from the channel's close future.
 */
final class ChannelConnection implements ConnectionInfo {
  private static final Logger log = LoggerFactory.getLogger(ChannelConnection.class);
  private static final AttributeKey<ChannelConnection> ATTR =
      AttributeKey.valueOf(ChannelConnection.class, "connection");
  private static final AtomicLong IDS = new AtomicLong();

  private final Channel channel;
  private final long id = IDS.incrementAndGet();
  private final ConcurrentHashMap<Key<?>, Object> attrs = new ConcurrentHashMap<>();
  private volatile String protocol = KEEL_1;
  /** Guarded by {@code this}; null once closed. */
  private List<Runnable> closeListeners = new ArrayList<>();

  private ChannelConnection(Channel channel) {
    this.channel = channel;
  }

  /** The connection of {@code channel}, created (and hooked to its close) on first use. */
  static ChannelConnection of(Channel channel) {
    Attribute<ChannelConnection> a = channel.attr(ATTR);
    ChannelConnection c = a.get();
    if (c != null) {
      return c;
    }
    ChannelConnection created = new ChannelConnection(channel);
    c = a.setIfAbsent(created);
    if (c != null) {
      return c;
    }
    channel.closeFuture().addListener(f -> created.closed());
    return created;
  }

  /** Records the protocol the sniffer detected. */
  void protocol(String protocol) {
    this.protocol = protocol;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public SocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public Optional<SSLSession> sslSession() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
      return Optional.empty();
    }
    return Optional.of(ssl.engine().getSession());
  }

  @Override
  public <T> Optional<T> attr(Key<T> key) {
    return Optional.ofNullable(key.type().cast(attrs.get(Objects.requireNonNull(key, "key"))));
  }

  @Override
  public <T> T computeIfAbsent(Key<T> key, Supplier<? extends T> create) {
    Objects.requireNonNull(create, "create");
    return key.type().cast(attrs.computeIfAbsent(Objects.requireNonNull(key, "key"),
        k -> Objects.requireNonNull(create.get(), "create returned null")));
  }

  @Override
  public <T> Optional<T> putAttr(Key<T> key, T value) {
    return Optional.ofNullable(key.type().cast(attrs.put(Objects.requireNonNull(key, "key"),
        key.type().cast(Objects.requireNonNull(value, "value")))));
  }

  @Override
  public <T> boolean removeAttr(Key<T> key, T expected) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expected, "expected");
    boolean[] removed = new boolean[1];
    attrs.computeIfPresent(key, (k, v) -> {
      removed[0] = v == expected;
      return removed[0] ? null : v;
    });
    return removed[0];
  }

  @Override
  public void onClose(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      if (closeListeners != null) {
        closeListeners.add(listener);
        return;
      }
    }
    run(listener);
  }

  private void closed() {
    List<Runnable> listeners;
    synchronized (this) {
      listeners = closeListeners;
      closeListeners = null;
    }
    if (listeners == null) {
      return;
    }
    listeners.forEach(this::run);
    attrs.clear();
  }

  private void run(Runnable listener) {
    try {
      listener.run();
    } catch (Throwable t) {
      log.warn("a close listener of connection {} ({}) failed", id, channel, t);
    }
  }

  @Override
  public String toString() {
    return "Connection[" + id + ", " + protocol + ", " + channel.remoteAddress() + "]";
  }
}

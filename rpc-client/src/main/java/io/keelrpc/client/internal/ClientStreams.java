package io.keelrpc.client.internal;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.ClientStream;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.StreamKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams of one {@link DefaultKeelClient}: opens them (ids from the client's sequence, the
 * deadline from the options and the caller's {@link KeelContext}), and ends those still open when
 * the client closes.
 */
final class ClientStreams {
  private final DefaultKeelClient client;
  private final Duration defaultIdleTimeout;
  private final Set<StreamingCall> active = ConcurrentHashMap.newKeySet();

  ClientStreams(DefaultKeelClient client, Duration defaultIdleTimeout) {
    this.client = client;
    this.defaultIdleTimeout = defaultIdleTimeout;
  }

  <P, T> KeelStream<T> serverStream(MethodDescriptor<P, T> method, P params,
      StreamOptions options) {
    Objects.requireNonNull(method, "method");
    byte[] json = params == null ? null : codec().writeValueAsBytes(params);
    return new DefaultBidiStream<Void, T>(open(method, StreamKind.SERVER, json, options));
  }

  <I, R> ClientStream<I, R> clientStream(MethodDescriptor<I, R> method, StreamOptions options) {
    Objects.requireNonNull(method, "method");
    return new DefaultClientStream<>(open(method, StreamKind.CLIENT, null, options));
  }

  <I, O> BidiStream<I, O> bidiStream(MethodDescriptor<I, O> method, StreamOptions options) {
    Objects.requireNonNull(method, "method");
    return new DefaultBidiStream<>(open(method, StreamKind.BIDI, null, options));
  }

  private StreamingCall open(MethodDescriptor<?, ?> method, StreamKind kind, byte[] params,
      StreamOptions options) {
    Objects.requireNonNull(options, "options");
    KeelContext context = KeelContext.current();
    Deadline deadline = options.deadline() != null
        ? context.deadlineAfter(options.deadline(), client.ticker())
        : context.deadline().orElse(null);
    Duration idle = options.idleTimeout() != null ? options.idleTimeout() : defaultIdleTimeout;
    StreamingCall call = new StreamingCall(this, method, kind, client.nextId(), params, deadline,
        idle, options.window());
    active.add(call);
    context.onCancel(call::cancel); // the caller's caller gave up
    if (client.isClosed()) {
      call.endLocally(new ClientClosedException("the client is closed"));
    } else {
      call.start();
    }
    return call;
  }

  /** Ends every open stream (the client is closing): each is cancelled on its server. */
  void closeAll() {
    for (StreamingCall call : new ArrayList<>(active)) {
      call.endLocally(new ClientClosedException("the client was closed while the stream was open"));
    }
  }

  void forget(StreamingCall call) {
    active.remove(call);
    client.linkReleased();
  }

  CompletableFuture<Connection> connection() {
    return client.connection();
  }

  MessageCodec codec() {
    return client.codec();
  }

  String authorization() {
    return client.authorization();
  }

  Scheduler scheduler() {
    return client.scheduler();
  }

  Ticker ticker() {
    return client.ticker();
  }
}

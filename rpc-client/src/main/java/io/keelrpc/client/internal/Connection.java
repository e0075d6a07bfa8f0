package io.keelrpc.client.internal;

import io.keelrpc.core.TransportException;
import io.keelrpc.core.wire.CancelNotification;
import io.keelrpc.core.wire.FrameWriteQueue;
import io.keelrpc.core.wire.KeelFrameDecoder.BadFrame;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.RawResponse;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open channel and the calls waiting for answers on it, keyed by call id. Answers for ids
 * nobody waits for (late, or duplicated by the network) are dropped quietly. When the channel
 * closes, every call still waiting on it fails with a {@link TransportException}.
 *
 * <p>Open streams are registered here too, by id: the answer that ends a stream, and the
 * {@code $/stream/item} and {@code $/stream/credit} notifications of the server, are routed to
 * their {@link StreamingCall}; notifications for streams that ended here are dropped. A closing
 * channel fails its streams like its calls.
 */
final class Connection extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final MessageCodec codec;
  private final ConcurrentHashMap<String, RetryingCall<?>> waiting = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, StreamingCall> streams = new ConcurrentHashMap<>();
  /** Streams given items during the current read, to wake their readers once it completes. */
  private final List<StreamingCall> arrived = new ArrayList<>(4);
  private volatile Channel channel;
  private volatile FrameWriteQueue streamWrites;
  private volatile boolean closed;

  Connection(MessageCodec codec) {
    this.codec = codec;
  }

  void attach(Channel ch) {
    this.channel = ch;
    this.streamWrites = new FrameWriteQueue(ch, ch.eventLoop(), ch.alloc());
    ch.closeFuture().addListener(f -> onClosed());
  }

  Channel channel() {
    return channel;
  }

  boolean isUsable() {
    Channel ch = channel;
    return !closed && ch != null && ch.isActive();
  }

  /** Registers {@code call} as waiting; returns false if the connection already closed. */
  boolean register(String id, RetryingCall<?> call) {
    waiting.put(id, call);
    if (closed) {
      waiting.remove(id, call);
      return false;
    }
    return true;
  }

  void unregister(String id, RetryingCall<?> call) {
    if (waiting.remove(id, call) && DefaultKeelClient.abandonedByCaller(call.result)) {
      sendCancel(id); // its request went out on this connection and may still be running
    }
  }

  /**
   * Sends the {@code $/cancel} notification for {@code id}, if the channel is open: the server
   * stops a queued call, tells a running one, and does not send the answer. Fire and forget; a
   * cancel that cannot be written, or that overtakes its request, is harmless.
   */
  void sendCancel(String id) {
    Channel ch = channel;
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(CancelNotification.write(ch.alloc(), codec.mapper(), id)); // failure: ignored
    }
  }

  /** Calls registered and still waiting for an answer: the load power-of-two-choices compares. */
  int outstanding() {
    return waiting.size() + streams.size();
  }

  /** Registers an open stream; returns false if the connection already closed. */
  boolean registerStream(String id, StreamingCall stream) {
    streams.put(id, stream);
    if (closed) {
      streams.remove(id, stream);
      return false;
    }
    return true;
  }

  void unregisterStream(String id, StreamingCall stream) {
    streams.remove(id, stream);
  }

  /**
   * Where streams write their items and credit, from any thread: what is queued meanwhile shares
   * one event-loop task and one flush.
   */
  FrameWriteQueue streamWrites() {
    return streamWrites;
  }

  void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  private void onClosed() {
    closed = true;
    List<RetryingCall<?>> calls = new ArrayList<>(waiting.values());
    waiting.clear();
    for (RetryingCall<?> c : calls) {
      c.onConnectionLost(this, new TransportException(
          "connection to " + channel.remoteAddress() + " closed before the answer arrived", true,
          null));
    }
    List<StreamingCall> open = new ArrayList<>(streams.values());
    streams.clear();
    for (StreamingCall s : open) {
      s.onConnectionLost(new TransportException("connection to " + channel.remoteAddress()
          + " closed before stream " + s.id() + " ended", true, null));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BadFrame bad) {
      log.warn("closing connection to {}: server sent a bad frame ({})", ctx.channel().remoteAddress(),
          bad.describe());
      ctx.close();
      return;
    }
    ByteBuf frame = (ByteBuf) msg;
    Object message;
    try {
      message = codec.readServerMessage(frame);
    } catch (MalformedMessageException e) {
      log.warn("closing connection to {}: unreadable response ({})",
          ctx.channel().remoteAddress(), e.getMessage());
      ctx.close();
      return;
    } finally {
      frame.release();
    }
    if (!(message instanceof RawResponse response)) {
      onNotification((Request) message);
      return;
    }
    String id = response.id().isTextual() ? response.id().textValue() : null;
    RetryingCall<?> call = id == null ? null : waiting.get(id);
    if (call == null) {
      StreamingCall stream = id == null ? null : streams.get(id);
      if (stream != null) {
        stream.onAnswer(response);
        return;
      }
      log.debug("dropping an answer nobody waits for (id {})", response.id());
      return;
    }
    call.onResponse(this, response);
  }

  /** A message with a method from the server: a stream's notification, or ignored. */
  private void onNotification(Request note) {
    StreamMessage m = StreamMessage.is(note) ? StreamMessage.read(note, codec) : null;
    StreamingCall stream = m == null || !m.streamId().isTextual() ? null
        : streams.get(m.streamId().textValue());
    if (stream == null) {
      log.debug("dropping {} from {}: {}", note.method(), channel.remoteAddress(),
          m == null ? "not a stream message" : "no open stream " + m.streamId());
      return;
    }
    if (stream.onMessage(m) && !arrived.contains(stream)) {
      arrived.add(stream);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!arrived.isEmpty()) {
      for (StreamingCall s : arrived) {
        s.signalArrivals();
      }
      arrived.clear();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing connection to {} after an error", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}

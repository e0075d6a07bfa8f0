package io.keelrpc.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.wire.FrameWriteQueue;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamItemWriter;
import io.keelrpc.core.wire.StreamMessage;

/**
 * The transport's end of one stream on a {@code keel/1} connection: writes the stream's items and
 * credit (from any thread) and hands the caller's stream messages to the call. Created by the
 * connection when the opening request is read; the call attaches itself when it is admitted.
 *
 * <p>Messages that arrive before that (the request may wait behind the connection's in-flight
 * limit) are kept in bounded form and handed over on attachment: the credit granted, the end of
 * the caller's items, and the first item (an item before any credit is a violation anyway).
 * Methods other than the writers run on the connection's I/O thread.
 */
public final class ServerStreamLink {
  private final Request request;
  private final FrameWriteQueue writes;
  private final MessageCodec codec;
  private final StreamItemWriter items;
  private final int maxCredit;
  private StreamCall call;
  private long earlyCredit;
  private StreamMessage earlyItem;
  private StreamMessage earlyEnd;

  ServerStreamLink(Request request, FrameWriteQueue writes, MessageCodec codec, int maxCredit) {
    this.maxCredit = maxCredit;
    this.request = request;
    this.writes = writes;
    this.codec = codec;
    this.items = new StreamItemWriter(codec, request.id(), request.jsonrpc2(), writes);
  }

  /** The most credit the server honours, and grants, on this stream (maxStreamCredit). */
  int maxCredit() {
    return maxCredit;
  }

  /** The id of the stream: its opening request's. */
  JsonNode id() {
    return request.id();
  }

  /** The admitted call takes over; messages that came before are handed to it now. */
  void attach(StreamCall c) {
    this.call = c;
    if (earlyItem != null) {
      c.onMessage(earlyItem);
    }
    if (earlyCredit > 0) {
      c.onMessage(new StreamMessage(StreamMessage.Type.CREDIT, request.id(), StreamMessage.ABSENT,
          earlyCredit, StreamMessage.ABSENT, null));
    }
    if (earlyEnd != null) {
      c.onMessage(earlyEnd);
    }
    earlyItem = null;
    earlyEnd = null;
  }

  /**
   * Writes the next item (numbered in the order of these calls, which must not overlap); from
   * any thread. Items sent while a write is pending share frames.
   */
  void sendItem(byte[] itemJson) {
    items.add(itemJson);
  }

  /** Grants the caller {@code n} more items; from any thread. */
  void grantCredit(int n) {
    writes.write(StreamMessage.writeCredit(codec, writes.alloc(), request.id(),
        request.jsonrpc2(), n));
  }

  /** A stream message from the caller. */
  void onMessage(StreamMessage m) {
    if (call != null) {
      call.onMessage(m);
      return;
    }
    switch (m.type()) {
      case ITEM:
        if (earlyItem == null) {
          earlyItem = m;
        }
        break;
      case CREDIT:
        if (m.n() >= 1) {
          earlyCredit = earlyCredit + m.n() < 0 ? Long.MAX_VALUE : earlyCredit + m.n();
        }
        break;
      case END:
        if (earlyEnd == null) {
          earlyEnd = m;
        }
        break;
      default:
        throw new AssertionError(m.type());
    }
  }

  /** The connection closed. */
  void connectionLost() {
    if (call != null) {
      call.connectionLost();
    }
  }
}

package io.keelrpc.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelOutboundInvoker;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The items one side of a stream sends, numbered in the order they are added and framed when the
 * connection's {@link FrameWriteQueue} writes them: the items added while a write was pending
 * share one {@code $/stream/item} frame ({@code "items"}), up to {@link #MAX_BATCH_BYTES} of item
 * JSON per frame (an item larger than that goes alone). Credit is per item, so batching changes
 * nothing for flow control. Internal building block of the Keel client and server; not API.
 */
public final class StreamItemWriter {
  /** Most bytes of item JSON one batched frame carries (64 KiB). */
  public static final int MAX_BATCH_BYTES = 64 * 1024;

  private static final byte[] END = new byte[0]; // marker in the queue; no item is empty

  private final MessageCodec codec;
  private final JsonNode streamId;
  private final boolean jsonrpc2;
  private final FrameWriteQueue queue;
  private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean registered = new AtomicBoolean();
  private final ArrayList<byte[]> batch = new ArrayList<>(); // on the event loop
  private long written; // on the event loop: items framed so far, the seq of the next

  /** A writer of the stream {@code streamId}'s items to {@code queue}'s connection. */
  public StreamItemWriter(MessageCodec codec, JsonNode streamId, boolean jsonrpc2,
      FrameWriteQueue queue) {
    this.codec = codec;
    this.streamId = streamId;
    this.jsonrpc2 = jsonrpc2;
    this.queue = queue;
  }

  /**
   * Adds the next item, its serialised JSON; from any thread, but one at a time (items are
   * numbered in the order they are added).
   */
  public void add(byte[] itemJson) {
    pending.add(itemJson);
    register();
  }

  /** Adds the end of the items ({@code $/stream/end} with their count), after the last item. */
  public void end() {
    pending.add(END);
    register();
  }

  private void register() {
    if (registered.compareAndSet(false, true)) {
      queue.schedule(this);
    }
  }

  /** Frames and writes what is pending; on the event loop. */
  void writeTo(ChannelOutboundInvoker out) {
    registered.set(false); // an item added from now on registers again
    byte[] next;
    while ((next = pending.poll()) != null) {
      if (next == END) {
        out.write(StreamMessage.writeEnd(codec, queue.alloc(), streamId, jsonrpc2, written),
            out.voidPromise());
        continue;
      }
      batch.add(next);
      int size = next.length;
      byte[] more;
      while ((more = pending.peek()) != null && more != END
          && size + more.length <= MAX_BATCH_BYTES) {
        pending.poll();
        batch.add(more);
        size += more.length;
      }
      out.write(StreamMessage.writeItems(codec, queue.alloc(), streamId, jsonrpc2, written, batch),
          out.voidPromise());
      written += batch.size();
      batch.clear();
    }
  }
}

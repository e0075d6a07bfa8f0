package io.keelrpc.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.util.concurrent.EventExecutor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes frames to a channel from any thread, in order, with one event-loop task and one flush
 * for everything queued while that task was pending: a producer sending many small stream items
 * costs the event loop one wake-up and one system call per batch, not per item. Besides ready
 * frames it takes {@link StreamItemWriter}s, whose items are framed only when written, so that
 * the items queued meanwhile share frames. Internal building block of the Keel client and
 * server; not API.
 *
 * <p>What a thread queues before it submits a task to the event loop (such as the answer that
 * ends a stream) is written before that task runs.
 */
public final class FrameWriteQueue {
  private final ChannelOutboundInvoker out;
  private final EventExecutor executor;
  private final ByteBufAllocator alloc;
  private final Queue<Object> entries = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  /**
   * Writes through {@code out} (a channel, or a handler's context) on {@code executor}, framing
   * items with {@code alloc}.
   */
  public FrameWriteQueue(ChannelOutboundInvoker out, EventExecutor executor,
      ByteBufAllocator alloc) {
    this.out = out;
    this.executor = executor;
    this.alloc = alloc;
  }

  /** Queues {@code frame} (its ownership passes here: it is written or released). */
  public void write(ByteBuf frame) {
    add(frame);
  }

  /** Queues the pending items of {@code writer}; see {@link StreamItemWriter}. */
  void schedule(StreamItemWriter writer) {
    add(writer);
  }

  /** The allocator frames for this queue are made with. */
  public ByteBufAllocator alloc() {
    return alloc;
  }

  private void add(Object entry) {
    entries.add(entry);
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(drain);
      } catch (RejectedExecutionException e) { // the event loop is gone: so is the channel
        scheduled.set(false);
        releaseQueued();
      }
    }
  }

  private void drain() {
    do {
      boolean wrote = false;
      Object e;
      while ((e = entries.poll()) != null) {
        if (e instanceof ByteBuf frame) {
          out.write(frame, out.voidPromise());
        } else {
          ((StreamItemWriter) e).writeTo(out);
        }
        wrote = true;
      }
      if (wrote) {
        out.flush();
      }
      scheduled.set(false);
      // an entry queued after the last poll but before the reset scheduled nothing: take it now
    } while (!entries.isEmpty() && scheduled.compareAndSet(false, true));
  }

  private void releaseQueued() {
    Object e;
    while ((e = entries.poll()) != null) {
      if (e instanceof ByteBuf frame) {
        frame.release();
      }
    }
  }
}

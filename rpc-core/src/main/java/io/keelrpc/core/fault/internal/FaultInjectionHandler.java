package io.keelrpc.core.fault.internal;

import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.FaultPlan;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.fault.internal.FramePeek.RequestInfo;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Applies a {@link FaultInjector} to one connection's {@code keel/1} frames. It sits right after
 * the {@link KeelFrameDecoder}, so it sees each inbound message as one frame's payload and each
 * outbound message as one whole frame (length prefix included):
 *
 * <pre>
 *   socket -&gt; KeelFrameDecoder -&gt; FaultInjectionHandler -&gt; endpoint (server or client)
 *   socket &lt;-------------------- FaultInjectionHandler &lt;- endpoint
 * </pre>
 *
 * <p>On a server it judges the requests it reads (drop, duplicate, disconnect) and the answers
 * written back (drop, delay); on a client the requests it writes (drop, delay, duplicate,
 * disconnect) and the answers it reads (drop). Because a server drops a request before the
 * endpoint sees it, the endpoint never counts it as in flight; a duplicated request reaches the
 * endpoint twice and is counted, and answered, twice.
 *
 * <p>Requests are peeked (id, method, {@code meta.attempt}) only when the injector has a rule;
 * answers only while some request of this connection expects an answer-side fault, and their
 * method and attempt are then those of the request with the same id, first in first out (at most
 * {@value #MAX_TRACKED_IDS} ids are remembered; the oldest are forgotten first, and their answers
 * pass untouched).
 *
 * <p>Delays are timers on the channel's event loop; nothing blocks. Each buffer is released
 * exactly once: dropped frames here, held frames when sent or when the handler is removed (the
 * channel closed), everything else by whoever receives it. A dropped outbound frame's write
 * promise succeeds, as when a packet is lost after leaving; a held frame's promise completes with
 * the delayed write. Not sharable: one instance per channel.
 */
public final class FaultInjectionHandler extends ChannelDuplexHandler {
  /** Most call ids whose answers one connection remembers. */
  public static final int MAX_TRACKED_IDS = 4096;

  private static final int PREFIX = KeelFrameDecoder.LENGTH_BYTES;

  private final FaultInjector injector;
  private final Side side;
  private final FaultCounters counters;
  private final boolean active;
  private Map<String, ArrayDeque<Call>> awaitingAnswer; // created on first use
  private Set<Held> held; // created on first delay

  /** A call whose answer is judged when it passes; its method and attempt come from the request. */
  private record Call(String method, int attempt) {}

  /** A frame held by a delay. Identity semantics: each is its own entry in {@link #held}. */
  private static final class Held {
    final ByteBuf frame;
    final ChannelPromise promise;
    ScheduledFuture<?> timer;

    Held(ByteBuf frame, ChannelPromise promise) {
      this.frame = frame;
      this.promise = promise;
    }
  }

  /**
   * Creates the handler for one channel; use {@link FaultInjector#newHandler(Side)}.
   *
   * @param counters the injector's counters, which this handler adds to
   */
  public FaultInjectionHandler(FaultInjector injector, Side side, FaultCounters counters) {
    this.injector = injector;
    this.side = side;
    this.counters = counters;
    this.active = !injector.isNone();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!active || !(msg instanceof ByteBuf frame)) {
      ctx.fireChannelRead(msg);
    } else if (side == Side.SERVER) {
      requestIn(ctx, frame);
    } else {
      answerIn(ctx, frame);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!active || !(msg instanceof ByteBuf frame)) {
      ctx.write(msg, promise);
    } else if (side == Side.CLIENT) {
      requestOut(ctx, frame, promise);
    } else {
      answerOut(ctx, frame, promise);
    }
  }

  // ---------------------------------------------------------------- server

  /** A request read by a server: drop, duplicate, disconnect after delivering. */
  private void requestIn(ChannelHandlerContext ctx, ByteBuf frame) {
    RequestInfo call = FramePeek.request(frame, 0);
    FaultRule rule = call == null ? null : injector.ruleFor(call.method());
    if (rule == null || rule.isNone()) {
      ctx.fireChannelRead(frame);
      return;
    }
    FaultPlan plan = injector.plan(side, call.method(), call.id(), call.attempt());
    if (plan.dropRequest()) {
      frame.release();
      counters.requestDropped();
      return;
    }
    if (rule.dropResponse() > 0 || rule.delayRate() > 0) {
      track(call, plan.duplicateRequest() ? 2 : 1);
    }
    if (plan.duplicateRequest()) {
      counters.duplicated();
      ctx.fireChannelRead(frame.retainedDuplicate());
    }
    ctx.fireChannelRead(frame);
    if (plan.disconnect()) {
      counters.disconnected();
      ctx.close();
    }
  }

  /** An answer written by a server: drop, delay. */
  private void answerOut(ChannelHandlerContext ctx, ByteBuf frame, ChannelPromise promise) {
    String id = awaitingAnswer == null || awaitingAnswer.isEmpty() ? null
        : FramePeek.responseId(frame, PREFIX);
    Call call = id == null ? null : untrack(id);
    if (call == null) {
      ctx.write(frame, promise);
      return;
    }
    FaultPlan plan = injector.plan(side, call.method(), id, call.attempt());
    if (plan.dropResponse()) {
      frame.release();
      promise.trySuccess();
      counters.responseDropped();
    } else if (plan.delayed()) {
      counters.delayed();
      hold(ctx, frame, promise, plan.delay(), () -> ctx.writeAndFlush(frame, promise));
    } else {
      ctx.write(frame, promise);
    }
  }

  // ---------------------------------------------------------------- client

  /** A request written by a client: drop, delay, duplicate, disconnect after sending. */
  private void requestOut(ChannelHandlerContext ctx, ByteBuf frame, ChannelPromise promise) {
    RequestInfo call = FramePeek.request(frame, PREFIX);
    FaultRule rule = call == null ? null : injector.ruleFor(call.method());
    if (rule == null || rule.isNone()) {
      ctx.write(frame, promise);
      return;
    }
    FaultPlan plan = injector.plan(side, call.method(), call.id(), call.attempt());
    if (plan.dropRequest()) {
      frame.release();
      promise.trySuccess();
      counters.requestDropped();
      return;
    }
    if (rule.dropResponse() > 0) {
      track(call, plan.duplicateRequest() ? 2 : 1);
    }
    if (plan.delayed()) {
      counters.delayed();
      hold(ctx, frame, promise, plan.delay(), () -> send(ctx, frame, promise, plan, true));
    } else {
      send(ctx, frame, promise, plan, false);
    }
  }

  private void send(ChannelHandlerContext ctx, ByteBuf frame, ChannelPromise promise,
      FaultPlan plan, boolean flush) {
    ByteBuf copy = plan.duplicateRequest() ? frame.retainedDuplicate() : null;
    ctx.write(frame, promise);
    if (copy != null) {
      counters.duplicated();
      ctx.write(copy, ctx.newPromise());
    }
    if (plan.disconnect()) {
      counters.disconnected();
      ctx.flush(); // the request leaves first, then the connection closes
      ctx.close();
    } else if (flush) {
      ctx.flush();
    }
  }

  /** An answer read by a client: drop. */
  private void answerIn(ChannelHandlerContext ctx, ByteBuf frame) {
    String id = awaitingAnswer == null || awaitingAnswer.isEmpty() ? null
        : FramePeek.responseId(frame, 0);
    Call call = id == null ? null : untrack(id);
    if (call != null && injector.plan(side, call.method(), id, call.attempt()).dropResponse()) {
      frame.release();
      counters.responseDropped();
      return;
    }
    ctx.fireChannelRead(frame);
  }

  // ---------------------------------------------------------------- bookkeeping

  private void track(RequestInfo call, int answers) {
    if (awaitingAnswer == null) {
      awaitingAnswer = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Call>> eldest) {
          return size() > MAX_TRACKED_IDS;
        }
      };
    }
    ArrayDeque<Call> calls = awaitingAnswer.computeIfAbsent(call.id(), k -> new ArrayDeque<>(2));
    for (int i = 0; i < answers; i++) {
      calls.add(new Call(call.method(), call.attempt()));
    }
  }

  private Call untrack(String id) {
    ArrayDeque<Call> calls = awaitingAnswer.get(id);
    if (calls == null) {
      return null;
    }
    Call call = calls.poll();
    if (calls.isEmpty()) {
      awaitingAnswer.remove(id);
    }
    return call;
  }

  /** Holds {@code frame} for {@code delay} on the event loop, then runs {@code then}. */
  private void hold(ChannelHandlerContext ctx, ByteBuf frame, ChannelPromise promise,
      Duration delay, Runnable then) {
    if (held == null) {
      held = new HashSet<>();
    }
    Held h = new Held(frame, promise);
    held.add(h);
    try {
      h.timer = ctx.executor().schedule(() -> {
        if (held.remove(h)) {
          then.run();
        }
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // the event loop is shutting down
      held.remove(h);
      discard(h);
    }
  }

  /** Releases the frames still held: the channel is gone, they will never be sent. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      for (Held h : new ArrayList<>(held)) {
        if (h.timer != null) {
          h.timer.cancel(false);
        }
        discard(h);
      }
      held.clear();
    }
    awaitingAnswer = null;
  }

  private static void discard(Held h) {
    h.frame.release();
    if (!h.promise.isVoid()) {
      h.promise.tryFailure(new ClosedChannelException());
    }
  }
}

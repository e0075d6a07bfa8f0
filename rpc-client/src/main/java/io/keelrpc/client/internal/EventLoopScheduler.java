package io.keelrpc.client.internal;

import io.keelrpc.core.time.Scheduler;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/** The default {@link Scheduler}: Netty's timer on the client's event loop group. */
final class EventLoopScheduler implements Scheduler {
  private final EventLoopGroup group;

  EventLoopScheduler(EventLoopGroup group) {
    this.group = group;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    io.netty.util.concurrent.ScheduledFuture<?> f =
        group.next().schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }
}

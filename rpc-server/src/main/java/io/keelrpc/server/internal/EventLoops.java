package io.keelrpc.server.internal;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Running a connection's work on its event loop, from whichever thread has the answer. */
final class EventLoops {
  private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

  private EventLoops() {}

  /**
   * Runs {@code task} on {@code ctx}'s event loop: at once if this is that thread, else queued.
   * If the loop has shut down (the server is closing) the task is dropped, at debug level: its
   * connection is gone with it.
   */
  static void runOn(ChannelHandlerContext ctx, Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
      return;
    }
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("event loop of {} is shut down; answer dropped", ctx.channel());
    }
  }
}

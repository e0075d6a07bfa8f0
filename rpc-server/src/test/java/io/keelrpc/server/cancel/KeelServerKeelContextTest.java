package io.keelrpc.server.cancel;

import static io.keelrpc.server.cancel.CancelFixtures.ASYNC;
import static io.keelrpc.server.cancel.CancelFixtures.RECORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.KeelContext;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link KeelContext} a handler runs in: the call's own deadline while a synchronous handler
 * runs or an asynchronous one is invoked; nothing left behind on the thread afterwards; other
 * threads see it only when handed it.
 */
class KeelServerKeelContextTest extends ServerTestSupport {
  private final AtomicReference<Optional<Deadline>> handlerDeadline = new AtomicReference<>();
  private final AtomicReference<Optional<Deadline>> contextDeadline = new AtomicReference<>();
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopExecutor() {
    elsewhere.shutdownNow();
  }

  private KeelServer.Builder recordingSync() {
    return builder().workerThreads(1).handle(RECORD, (p, ctx) -> {
      handlerDeadline.set(ctx.deadline());
      contextDeadline.set(KeelContext.current().deadline());
      return "ok";
    });
  }

  @Test
  void syncHandlerRunsInTheContextOfItsCallsDeadline() throws Exception {
    KeelServer server = start(recordingSync());

    assertResult(FrameClient.callOnce(server.port(),
        request("s-1", "record", "{}", "{\"timeoutMs\":4000}")));

    assertThat(handlerDeadline.get()).isPresent();
    assertThat(contextDeadline.get()).isEqualTo(handlerDeadline.get());
  }

  @Test
  void theWorkerThreadKeepsNoContextOfAnEarlierCall() throws Exception {
    KeelServer server = start(recordingSync()); // one worker: both calls run on the same thread
    assertResult(FrameClient.callOnce(server.port(),
        request("s-2", "record", "{}", "{\"timeoutMs\":4000}")));

    assertResult(FrameClient.callOnce(server.port(), request("s-3", "record", "{}")));

    assertThat(handlerDeadline.get()).isEmpty();
    assertThat(contextDeadline.get()).isEmpty();
  }

  @Test
  void nonBlockingHandlerRunsInTheContextToo() throws Exception {
    KeelServer server = start(builder().handleNonBlocking(RECORD, (p, ctx) -> {
      handlerDeadline.set(ctx.deadline());
      contextDeadline.set(KeelContext.current().deadline());
      return "ok";
    }));

    assertResult(FrameClient.callOnce(server.port(),
        request("s-4", "record", "{}", "{\"timeoutMs\":4000}")));

    assertThat(handlerDeadline.get()).isPresent();
    assertThat(contextDeadline.get()).isEqualTo(handlerDeadline.get());
  }

  @Test
  void asyncHandlerHasTheContextWhileInvokedAndHandsItOnExplicitly() throws Exception {
    AtomicReference<Optional<Deadline>> onOtherThread = new AtomicReference<>();
    AtomicReference<Optional<Deadline>> onWrappedThread = new AtomicReference<>();
    KeelServer server = start(builder().handleAsync(ASYNC, (p, ctx) -> {
      handlerDeadline.set(ctx.deadline());
      contextDeadline.set(KeelContext.current().deadline());
      KeelContext here = KeelContext.current();
      return CompletableFuture
          .runAsync(() -> onOtherThread.set(KeelContext.current().deadline()), elsewhere)
          .thenRunAsync(() -> onWrappedThread.set(KeelContext.current().deadline()),
              here.wrap(elsewhere))
          .thenApply(v -> "ok");
    }));

    assertResult(FrameClient.callOnce(server.port(),
        request("s-5", "async", "{}", "{\"timeoutMs\":4000}")));

    assertThat(contextDeadline.get()).isPresent().isEqualTo(handlerDeadline.get());
    assertThat(onOtherThread.get()).isEmpty();
    assertThat(onWrappedThread.get()).isEqualTo(handlerDeadline.get());
  }
}

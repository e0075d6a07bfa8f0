package io.keelrpc.server.cancel;

import static io.keelrpc.server.cancel.CancelFixtures.ASYNC;
import static io.keelrpc.server.cancel.CancelFixtures.UNTIL_CANCELLED;
import static io.keelrpc.server.cancel.CancelFixtures.cancel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.KeelContext;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a running handler learns that its caller sent {@code $/cancel}. */
class KeelServerCancelObservationTest extends ServerTestSupport {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final AtomicReference<CallContext> context = new AtomicReference<>();
  private final AtomicBoolean sawCancelBefore = new AtomicBoolean(true);
  private final AtomicBoolean sawCancelAfter = new AtomicBoolean();
  private final AtomicBoolean keelContextCancelled = new AtomicBoolean();

  private final List<CompletableFuture<String>> stages = new CopyOnWriteArrayList<>();

  private CompletableFuture<String> stage() {
    CompletableFuture<String> f = new CompletableFuture<>();
    stages.add(f);
    return f;
  }

  @AfterEach
  void completeStages() {
    stages.forEach(f -> f.complete("test ended")); // so that closing the server need not wait
  }

  private KeelServer startWaitingServer() {
    return start(builder().handle(UNTIL_CANCELLED, (p, ctx) -> {
      sawCancelBefore.set(ctx.isCancelled());
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel(cancelled::countDown);
      entered.countDown();
      CancelFixtures.await(cancelled);
      sawCancelAfter.set(ctx.isCancelled());
      keelContextCancelled.set(KeelContext.current().isCancelled());
      return "late";
    }));
  }

  @Test
  void syncHandlerSeesTheCancellationThroughItsContextAndTheKeelContext() throws Exception {
    FrameClient c = connect(startWaitingServer());

    c.send(request("c-1", "untilCancelled", "{}"));
    CancelFixtures.await(entered);
    c.send(cancel("c-1"));

    await().atMost(Duration.ofSeconds(5)).untilTrue(sawCancelAfter);
    assertThat(sawCancelBefore).isFalse();
    assertThat(keelContextCancelled).isTrue();
  }

  @Test
  void cancelOfAnUnknownIdIsIgnoredAndLeavesOtherCallsAlone() throws Exception {
    KeelServer server = start(builder().handleAsync(ASYNC, (p, ctx) -> {
      context.set(ctx);
      return stage(); // completed after the test
    }));
    FrameClient c = connect(server);

    c.send(request("c-2", "async", "{}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get() != null);
    c.send(cancel("nobody"));
    c.send("{\"method\":\"$/cancel\",\"params\":{\"id\":{\"not\":\"an id\"}}}");
    c.send("{\"method\":\"$/cancel\"}");
    c.send(request("probe", "$/nothing", "{}")); // answered after the cancels were read
    assertError(c.read(), -32601);
    assertThat(context.get().isCancelled()).isFalse();

    c.send(cancel("c-2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get().isCancelled());
  }

  @Test
  void cancelOnAnotherConnectionDoesNotReachTheCall() throws Exception {
    KeelServer server = start(builder().handleAsync(ASYNC, (p, ctx) -> {
      context.set(ctx);
      return stage(); // completed after the test
    }));
    FrameClient owner = connect(server);
    FrameClient stranger = connect(server);

    owner.send(request("c-3", "async", "{}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get() != null);
    stranger.send(cancel("c-3"));
    // a round trip on each connection proves both cancels were read before the checks
    stranger.send(request("probe-1", "$/nothing", "{}"));
    assertError(stranger.read(), -32601);
    assertThat(context.get().isCancelled()).isFalse();

    owner.send(cancel("c-3"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get().isCancelled());
  }

  @Test
  void asyncHandlerIsToldThroughOnCancelOnce() throws Exception {
    AtomicInteger told = new AtomicInteger();
    KeelServer server = start(builder().handleAsync(ASYNC, (p, ctx) -> {
      ctx.onCancel(told::incrementAndGet);
      context.set(ctx);
      return stage(); // completed after the test
    }));
    FrameClient c = connect(server);

    c.send(request("c-4", "async", "{}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get() != null);
    c.send(cancel("c-4"));
    c.send(cancel("c-4"));

    await().atMost(Duration.ofSeconds(5)).until(() -> told.get() == 1);
    AtomicInteger late = new AtomicInteger();
    context.get().onCancel(late::incrementAndGet); // registered after: runs at once
    assertThat(late).hasValue(1);
    assertThat(told).hasValue(1);
  }

  @Test
  void closingTheConnectionDoesNotCancelItsCalls() throws IOException {
    KeelServer server = start(builder().handleAsync(ASYNC, (p, ctx) -> {
      context.set(ctx);
      return stage(); // completed after the test
    }));
    FrameClient c = connect(server);
    c.send(request("c-5", "async", "{}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> context.get() != null);

    c.close();
    // The builder has one I/O thread for all connections, and the end of c's stream reached the
    // server before another connection opened: once that one has had two round trips, the I/O
    // thread has been through c's closing.
    FrameClient other = connect(server);
    for (int i = 0; i < 2; i++) {
      other.send(request("probe-" + i, "$/nothing", "{}"));
      assertError(other.read(), -32601);
    }

    assertThat(context.get().isCancelled()).isFalse();
  }
}

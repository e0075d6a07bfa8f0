package io.keelrpc.client.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation from a Keel client to a Keel server over loopback, one hop and two: a handler
 * observes that its caller cancelled the future or closed the client, and a call a handler made
 * is cancelled together with the handler's own call.
 */
class KeelClientCancelPropagationTest {
  record Step(String note) {}

  static final MethodDescriptor<Step, String> WAIT =
      MethodDescriptor.of("wait", Step.class, String.class);
  static final MethodDescriptor<Step, String> RELAY =
      MethodDescriptor.of("relay", Step.class, String.class);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final List<CallContext> waiting = new CopyOnWriteArrayList<>();
  private final List<CallContext> relaying = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A server whose handler waits until its call is cancelled (at most ten seconds). */
  private KeelServer startWaitingServer() {
    return closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handle(WAIT, (p, ctx) -> {
          CountDownLatch cancelled = new CountDownLatch(1);
          ctx.onCancel(cancelled::countDown);
          waiting.add(ctx);
          return cancelled.await(10, TimeUnit.SECONDS) ? "cancelled" : "never cancelled";
        })
        .start());
  }

  private KeelClient clientOf(KeelServer server) {
    return closeLater(KeelClient.builder().endpoint("127.0.0.1", server.port()).build());
  }

  private void awaitWaiting(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == n);
  }

  @Test
  void cancellingTheFutureCancelsTheHandlersCall() {
    KeelClient client = clientOf(startWaitingServer());
    CompletableFuture<String> f = client.callAsync(WAIT, new Step("one"));
    awaitWaiting(1);

    f.cancel(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get(0).isCancelled());
  }

  @Test
  void closingTheClientCancelsEveryCallItHadInFlight() {
    KeelClient client = clientOf(startWaitingServer());
    CompletableFuture<String> first = client.callAsync(WAIT, new Step("one"));
    CompletableFuture<String> second = client.callAsync(WAIT, new Step("two"));
    awaitWaiting(2);

    client.close();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> waiting.stream().allMatch(CallContext::isCancelled));
    assertThat(first.handle((r, t) -> t).join()).isInstanceOf(ClientClosedException.class);
    assertThat(second.handle((r, t) -> t).join()).isInstanceOf(ClientClosedException.class);
  }

  @Test
  void cancellingTheOuterCallCancelsTheCallItsHandlerMade() {
    KeelClient toBack = clientOf(startWaitingServer());
    KeelServer front = closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handle(RELAY, (p, ctx) -> {
          relaying.add(ctx);
          return toBack.call(WAIT, p);
        })
        .start());
    CompletableFuture<String> outer = clientOf(front).callAsync(RELAY, new Step("relayed"));
    awaitWaiting(1);

    outer.cancel(true);

    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.get(0).isCancelled());
    assertThat(relaying.get(0).isCancelled()).isTrue();
  }
}

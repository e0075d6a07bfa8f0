package io.keelrpc.client.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.StreamErrorKind;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stream has no deadline unless given one: then it is sent as {@code meta.timeoutMs}, and when
 * it passes the stream fails and is cancelled on the server.
 */
class KeelStreamDeadlineTest extends StreamTestSupport {
  private final FakeClock clock = new FakeClock();
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicReference<Optional<Deadline>> serverDeadline = new AtomicReference<>();
  private final AtomicBoolean serverCancelled = new AtomicBoolean();

  private KeelClient client() {
    KeelServer server = start(serverBuilder().handleServerStream(TICKS, (p, out, ctx) -> {
      serverDeadline.set(ctx.deadline());
      waitForCancel(ctx);
    }));
    // idle timeouts far away: only deadlines end these streams
    return client(clientBuilder(server, clock).streamIdleTimeout(Duration.ofHours(1)));
  }

  private void waitForCancel(CallContext ctx) throws InterruptedException {
    CountDownLatch cancelled = new CountDownLatch(1);
    ctx.onCancel(cancelled::countDown);
    started.countDown();
    awaitLatch(cancelled);
    serverCancelled.set(true);
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    return f.handle((r, t) -> t).join();
  }

  @Test
  void aStreamsDeadlineIsSentAndEndsTheStreamWhenItPasses() throws Exception {
    KeelStream<Long> items = client().serverStream(TICKS, new Count(0),
        StreamOptions.builder().deadline(Duration.ofSeconds(10)).build());
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Long> next = items.nextAsync();

    clock.advance(Duration.ofSeconds(10));

    Throwable t = failureOf(next);
    assertThat(t).isInstanceOf(DeadlineExceededException.class);
    assertThat(StreamErrorKind.of(t)).isEqualTo(StreamErrorKind.TIMEOUT);
    assertThat(serverDeadline.get()).isPresent();
    assertThat(serverDeadline.get().get().timeRemaining()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).untilTrue(serverCancelled);
  }

  @Test
  void withoutOneAStreamHasNoDeadlineNotEvenTheClientsDefault() throws Exception {
    KeelStream<Long> items = client().serverStream(TICKS, new Count(0));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Long> next = items.nextAsync();

    clock.advance(KeelClient.Builder.DEFAULT_DEADLINE.multipliedBy(2));

    assertThat(next).isNotDone();
    assertThat(serverDeadline.get()).isEmpty();
  }

  @Test
  void aStreamOpenedUnderADeadlineInheritsIt() throws Exception {
    KeelClient client = client();
    KeelStream<Long> items;
    try (KeelContext.Scope s = KeelContext.root()
        .withDeadline(Deadline.after(Duration.ofSeconds(3), clock)).attach()) {
      items = client.serverStream(TICKS, new Count(0),
          StreamOptions.builder().deadline(Duration.ofMinutes(1)).build());
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Long> next = items.nextAsync();

    clock.advance(Duration.ofSeconds(3));

    assertThat(failureOf(next)).isInstanceOf(DeadlineExceededException.class);
    assertThat(serverDeadline.get().get().timeRemaining()).isLessThanOrEqualTo(Duration.ofSeconds(3));
  }
}

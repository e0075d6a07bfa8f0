package io.keelrpc.client.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.KeelContext;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A two-hop chain over loopback: client -> server A, whose handler calls server B with its own
 * KeelClient. The inner call inherits A's remaining budget through {@link KeelContext}: B never
 * gets more time than A's caller left A, however long the inner call's own deadline is.
 */
class KeelClientDeadlinePropagationTest {
  record Hop(String note) {}

  static final MethodDescriptor<Hop, Long> FRONT =
      MethodDescriptor.of("front", Hop.class, Long.class);
  static final MethodDescriptor<Hop, Long> BACK =
      MethodDescriptor.of("back", Hop.class, Long.class);

  private static final Duration OUTER_BUDGET = Duration.ofSeconds(2);
  private static final Duration HOUR = Duration.ofHours(1);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final AtomicReference<Duration> frontRemaining = new AtomicReference<>();
  private final AtomicReference<Duration> backRemaining = new AtomicReference<>();
  private final AtomicInteger backRuns = new AtomicInteger();
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

  @AfterEach
  void closeAll() throws Exception {
    elsewhere.shutdownNow();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  private KeelServer startBack() {
    return closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handle(BACK, (p, ctx) -> {
          backRuns.incrementAndGet();
          backRemaining.set(ctx.timeRemaining());
          return ctx.timeRemaining().toMillis();
        })
        .start());
  }

  /** A client whose own default deadline (an hour) is far beyond any budget in the chain. */
  private KeelClient clientOf(KeelServer server) {
    return closeLater(KeelClient.builder().endpoint("127.0.0.1", server.port())
        .deadline(HOUR).build());
  }

  private long callFront(KeelServer front) {
    return clientOf(front).call(FRONT, new Hop("outer"),
        CallOptions.builder().deadline(OUTER_BUDGET).build());
  }

  @Test
  void backSeesNoMoreThanFrontHadLeftAndTheLongInnerDeadlineIsCapped() {
    KeelClient toBack = clientOf(startBack());
    KeelServer front = closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handle(FRONT, (p, ctx) -> {
          frontRemaining.set(ctx.timeRemaining());
          return toBack.call(BACK, new Hop("inner"), CallOptions.builder().deadline(HOUR).build());
        })
        .start());

    callFront(front);

    assertThat(frontRemaining.get()).isPositive().isLessThanOrEqualTo(OUTER_BUDGET);
    assertThat(backRemaining.get()).isPositive().isLessThanOrEqualTo(frontRemaining.get());
  }

  @Test
  void outsideAHandlerTheInnerClientKeepsItsOwnDeadline() {
    KeelClient toBack = clientOf(startBack());

    toBack.call(BACK, new Hop("direct"));

    assertThat(backRemaining.get()).isGreaterThan(OUTER_BUDGET);
  }

  @Test
  void aBudgetSpentInTheHandlerFailsTheInnerCallWithoutSendingIt() {
    KeelClient toBack = clientOf(startBack());
    FakeClock frontClock = new FakeClock(); // A's deadlines are on virtual time, B's client real
    AtomicReference<Throwable> inner = new AtomicReference<>();
    KeelServer front = closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .ticker(frontClock)
        .handle(FRONT, (p, ctx) -> {
          frontClock.advance(OUTER_BUDGET); // the handler used up its caller's whole budget
          try {
            return toBack.call(BACK, new Hop("too late"));
          } catch (RuntimeException e) {
            inner.set(e);
            return -1L;
          }
        })
        .start());

    assertThat(callFront(front)).isEqualTo(-1L);

    assertThat(inner.get()).isInstanceOf(DeadlineExceededException.class);
    assertThat(backRuns).hasValue(0);
  }

  @Test
  void aCallMadeOnAnotherThreadInheritsTheBudgetWhenHandedTheContext() {
    KeelClient toBack = clientOf(startBack());
    KeelServer front = closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handleAsync(FRONT, (p, ctx) -> {
          frontRemaining.set(ctx.timeRemaining());
          return CompletableFuture.supplyAsync(() -> toBack.call(BACK, new Hop("wrapped")),
              KeelContext.current().wrap(elsewhere));
        })
        .start());

    callFront(front);

    assertThat(backRemaining.get()).isPositive().isLessThanOrEqualTo(frontRemaining.get());
  }

  @Test
  void aCallMadeOnAnotherThreadWithoutTheContextKeepsItsOwnDeadline() {
    KeelClient toBack = clientOf(startBack());
    KeelServer front = closeLater(KeelServer.builder().shutdownGracePeriod(Duration.ZERO)
        .handleAsync(FRONT, (p, ctx) -> CompletableFuture.supplyAsync(
            () -> toBack.call(BACK, new Hop("unwrapped")), elsewhere))
        .start());

    callFront(front);

    assertThat(backRemaining.get()).isGreaterThan(OUTER_BUDGET);
  }

  @Test
  void anExplicitContextCapsCallsOutsideAnyServer() {
    KeelClient toBack = clientOf(startBack());
    KeelContext budget =
        KeelContext.root().withDeadline(Deadline.after(Duration.ofMillis(1500), Ticker.system()));

    budget.run(() -> toBack.call(BACK, new Hop("scoped")));

    assertThat(backRemaining.get()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> KeelContext.root().withDeadline(
        Deadline.after(Duration.ZERO, Ticker.system()))
        .call(() -> toBack.call(BACK, new Hop("spent"))))
        .isInstanceOf(DeadlineExceededException.class);
    assertThat(backRuns).hasValue(1);
  }
}

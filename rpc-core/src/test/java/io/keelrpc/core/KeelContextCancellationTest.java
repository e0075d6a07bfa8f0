package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a {@link KeelContext} counts as cancelled and who hears of it. */
class KeelContextCancellationTest {
  private final CompletableFuture<Void> signal = new CompletableFuture<>();
  private final AtomicInteger heard = new AtomicInteger();

  @Test
  void aContextIsCancelledWhenItsSignalCompletes() {
    KeelContext ctx = KeelContext.root().withCancellation(signal);

    assertThat(ctx.isCancelled()).isFalse();
    signal.complete(null);
    assertThat(ctx.isCancelled()).isTrue();
  }

  @Test
  void aSignalCompletedExceptionallyCancelsToo() {
    KeelContext ctx = KeelContext.root().withCancellation(signal);

    signal.completeExceptionally(new IllegalStateException("gone"));

    assertThat(ctx.isCancelled()).isTrue();
  }

  @Test
  void listenersRunOnceWhenCancelledAndAtOnceWhenAlreadyCancelled() {
    KeelContext ctx = KeelContext.root().withCancellation(signal);
    ctx.onCancel(heard::incrementAndGet);
    assertThat(heard).hasValue(0);

    signal.complete(null);
    signal.complete(null);
    assertThat(heard).hasValue(1);

    ctx.onCancel(heard::incrementAndGet);
    assertThat(heard).hasValue(2);
  }

  @Test
  void aThrowingListenerDoesNotKeepOthersFromRunning() {
    KeelContext ctx = KeelContext.root().withCancellation(signal);
    ctx.onCancel(() -> {
      throw new IllegalStateException("listener bug");
    });
    ctx.onCancel(heard::incrementAndGet);

    signal.complete(null);

    assertThat(heard).hasValue(1);
  }

  @Test
  void theRootIsNeverCancelledAndIgnoresListeners() {
    KeelContext.root().onCancel(heard::incrementAndGet);

    assertThat(KeelContext.root().isCancelled()).isFalse();
    assertThat(heard).hasValue(0);
  }

  @Test
  void aDerivedContextIsCancelledByEitherSignal() {
    CompletableFuture<Void> second = new CompletableFuture<>();
    KeelContext parent = KeelContext.root().withCancellation(signal);
    KeelContext child = parent.withCancellation(second);

    second.complete(null);
    assertThat(child.isCancelled()).isTrue();
    assertThat(parent.isCancelled()).isFalse();

    KeelContext other = parent.withCancellation(new CompletableFuture<>());
    signal.complete(null);
    assertThat(other.isCancelled()).isTrue();
  }

  @Test
  void addingADeadlineKeepsTheCancellation() {
    KeelContext ctx = KeelContext.root().withCancellation(signal)
        .withDeadline(Deadline.after(Duration.ofSeconds(1), new FakeClock()));

    signal.complete(null);

    assertThat(ctx.isCancelled()).isTrue();
    assertThat(ctx.deadline()).isPresent();
  }
}

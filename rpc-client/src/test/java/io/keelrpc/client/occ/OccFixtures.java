package io.keelrpc.client.occ;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** What the OCC engine tests share: an updater on virtual time, an increment, result helpers. */
final class OccFixtures {
  /** Adds one to a counter; an absent counter becomes 1. */
  static final UnaryOperator<Long> INCREMENT = n -> n == null ? 1L : n + 1;

  /** The writer id "another client" writes with. */
  static final String OTHER = "other-client";

  private OccFixtures() {}

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** 50 ms doubling, capped at 1 s, no jitter: waits are 50, 100, 200, 400, 800, 1000, ... */
  static RetryPolicy noJitter() {
    return RetryPolicy.builder()
        .initialBackoff(ms(50))
        .multiplier(2.0)
        .maxBackoff(Duration.ofSeconds(1))
        .jitter(Jitter.none())
        .build();
  }

  /** An updater on {@code clock}'s virtual time, backoff without jitter, writer ids w1, w2, ... */
  static OccUpdater.Builder virtualTime(FakeClock clock) {
    int[] next = {0};
    return OccUpdater.builder()
        .ticker(clock)
        .scheduler(clock)
        .random(() -> 0.5)
        .networkBackoff(noJitter())
        .writerIds(() -> "w" + ++next[0]);
  }

  static Deadline inSeconds(long seconds, FakeClock clock) {
    return Deadline.after(Duration.ofSeconds(seconds), clock);
  }

  /** The result of a future that must already have succeeded. */
  static <T> T done(CompletableFuture<T> f) {
    assertThat(f).isDone();
    return f.join();
  }

  /** The failure of a future that must already have failed. */
  static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("unreachable");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** Waits in real time (for tests whose store answers on other threads). */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the update did not succeed", e);
    }
  }

  /** Another client increments {@code key} directly in the store. */
  static Runnable otherClientIncrements(ScriptedStore<Long> store, String key) {
    return () -> store.apply(key, INCREMENT, OTHER);
  }
}

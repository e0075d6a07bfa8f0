package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.describe;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.never;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The deadline bounds the whole call: no wait and no attempt runs past it. */
class ResilienceDeadlineTest {
  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final long start = clock.nanoTime();

  private Duration elapsed() {
    return Duration.ofNanos(clock.nanoTime() - start);
  }

  @Test
  void givesUpAtOnceWhenTheNextWaitWouldPassTheDeadline() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).deadline(ms(120)).build();
    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture(new Reply(503));
    });
    clock.advance(ms(50)); // attempt 2 at 50 ms; the next wait (100 ms) would end at 150 > 120

    assertThat(f).isCompletedWithValue(new Reply(503));
    assertThat(elapsed()).isEqualTo(ms(50));
    assertThat(describe(events)).containsExactly("server_error#1 503",
        "retry#2 50ms server_error", "server_error#2 503", "retries_exhausted#2 deadline");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void waitEndingExactlyAtTheDeadlineIsNotTaken() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).deadline(ms(50)).build();
    r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(503)));

    assertThat(describe(events)).containsExactly("server_error#1 503",
        "retries_exhausted#1 deadline");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void hungAttemptEndsAtTheDeadlineWithDeadlineExceeded() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).deadline(ms(300)).build();
    List<CompletableFuture<Reply>> started = new CopyOnWriteArrayList<>();
    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> {
      CompletableFuture<Reply> a = never();
      started.add(a);
      return a;
    });
    clock.advance(ms(299));
    assertThat(f).isNotDone();
    clock.advance(ms(1));

    Throwable thrown = catchThrowable(f::join);
    assertThat(thrown).hasCauseInstanceOf(DeadlineExceededException.class);
    assertThat(describe(events)).containsExactly("timeout#1", "retries_exhausted#1 deadline");
    assertThat(started).singleElement().satisfies(a -> assertThat(a).isCancelled());
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void timedOutAttemptIsNotRetriedWhenTheWaitWouldReachTheDeadline() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add))
        .deadline(ms(250)).perAttemptTimeout(ms(200)).build();
    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> {
      attempts.incrementAndGet();
      return never();
    });
    clock.advance(ms(200)); // attempt 1 times out with 50 ms left: a 50 ms wait would reach it

    assertThat(f).isCompletedExceptionally();
    assertThat(catchThrowable(f::join)).hasCauseInstanceOf(AttemptTimeoutException.class);
    assertThat(describe(events)).containsExactly("timeout#1", "retries_exhausted#1 deadline");
    assertThat(attempts).hasValue(1);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void secondAttemptGetsOnlyTheRemainingBudget() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add))
        .deadline(ms(300)).perAttemptTimeout(ms(200)).build();
    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> {
      attempts.incrementAndGet();
      return never();
    });
    clock.advance(ms(250)); // timeout at 200, retry at 250 with 50 ms left
    assertThat(attempts).hasValue(2);
    clock.advance(ms(49));
    assertThat(f).isNotDone();
    clock.advance(ms(1));

    assertThat(catchThrowable(f::join)).hasCauseInstanceOf(DeadlineExceededException.class)
        .rootCause().isInstanceOf(AttemptTimeoutException.class);
    assertThat(describe(events)).containsExactly("timeout#1", "retry#2 50ms timeout",
        "timeout#2", "retries_exhausted#2 deadline");
    assertThat(elapsed()).isEqualTo(ms(300));
  }

  @Test
  void expiredDeadlineMakesNoAttempt() {
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).build();
    Deadline spent = Deadline.after(ms(-1), clock);
    CompletableFuture<Reply> f = r.execute("x", spent, BY_STATUS, () -> {
      attempts.incrementAndGet();
      return never();
    });

    assertThat(catchThrowable(f::join)).hasCauseInstanceOf(DeadlineExceededException.class);
    assertThat(attempts).hasValue(0);
    assertThat(describe(events)).containsExactly("retries_exhausted#0 deadline");
  }
}

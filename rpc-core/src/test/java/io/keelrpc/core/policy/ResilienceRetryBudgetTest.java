package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.describe;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Against a call that always fails, the budget bounds the attempts per logical call: about
 * {@code maxTokens / 2} retries in all instead of {@code maxAttempts - 1} per call.
 */
class ResilienceRetryBudgetTest {
  private static final int CALLS = 20;

  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  /** Makes {@link #CALLS} calls one after the other, each answered 503 every time. */
  private void failEveryCall(Resilience r) {
    for (int i = 0; i < CALLS; i++) {
      CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> {
        attempts.incrementAndGet();
        return CompletableFuture.completedFuture(new Reply(503));
      });
      clock.advance(ms(1000));
      assertThat(f).isCompletedWithValue(new Reply(503));
    }
  }

  @Test
  void withoutABudgetEveryCallMakesMaxAttempts() {
    failEveryCall(onVirtualTime(clock, CallListener.noop()).build());

    assertThat(attempts).hasValue(CALLS * 4);
  }

  @Test
  void budgetBoundsRetriesAcrossCalls() {
    RetryBudget budget = RetryBudget.builder().maxTokens(20).tokenRatio(0.5).build();
    failEveryCall(onVirtualTime(clock, CallListener.noop()).retryBudget(budget).build());

    // calls 1-2: 4 attempts each (20 -> 12 tokens); call 3: 2 (-> 10, not above half);
    // then one attempt per call
    assertThat(attempts).hasValue(4 + 4 + 2 + (CALLS - 3));
    assertThat(attempts.get()).isLessThanOrEqualTo(CALLS + 20 / 2);
    assertThat(budget.allowsRetry()).isFalse();
  }

  @Test
  void callStoppedByTheBudgetSaysSo() {
    RetryBudget budget = RetryBudget.builder().maxTokens(2).tokenRatio(0.5).build();
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).retryBudget(budget).build();
    r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(503)));
    clock.advance(ms(1000));

    // 2 tokens: the first failure leaves 1, which is not above 2/2
    assertThat(describe(events)).containsExactly("server_error#1 503",
        "retries_exhausted#1 budget");
  }

  @Test
  void successesEarnRetriesBack() {
    RetryBudget budget = RetryBudget.builder().maxTokens(4).tokenRatio(0.5).build();
    Resilience r = onVirtualTime(clock, CallListener.of(events::add)).retryBudget(budget).build();
    r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(503)));
    clock.advance(ms(1000)); // 4 -> 3 (retry) -> 2 (not above half: stop)
    assertThat(budget.allowsRetry()).isFalse();
    for (int i = 0; i < 3; i++) {
      r.execute("y", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(200)));
    }
    events.clear();

    AtomicInteger n = new AtomicInteger();
    r.execute("z", BY_STATUS, () -> CompletableFuture.completedFuture(
        new Reply(n.incrementAndGet() == 1 ? 503 : 200)));
    clock.advance(ms(1000));

    // 2 + 3 x 0.5 = 3.5 tokens; z's failure leaves 2.5, above half: one retry, which succeeds
    assertThat(describe(events)).containsExactly("server_error#1 503",
        "retry#2 50ms server_error", "success#2");
    assertThat(budget.tokens()).isEqualTo(3.0);
  }

  @Test
  void clientErrorsRefillLikeSuccesses() {
    RetryBudget budget = RetryBudget.builder().maxTokens(4).tokenRatio(1).build();
    budget.onFailure();
    budget.onFailure();
    Resilience r = onVirtualTime(clock, CallListener.noop()).retryBudget(budget).build();

    r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(404)));

    assertThat(budget.tokens()).isEqualTo(3.0);
  }
}

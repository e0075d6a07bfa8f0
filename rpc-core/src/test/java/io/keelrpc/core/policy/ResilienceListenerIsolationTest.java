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

/** A listener that throws is logged and ignored: the call and the other listeners go on. */
class ResilienceListenerIsolationTest {
  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> events = new CopyOnWriteArrayList<>();

  private static final CallListener THROWS_ON_EVERYTHING = CallListener.of(e -> {
    throw new IllegalStateException("listener bug on " + e.eventName());
  });

  @Test
  void throwingListenerDoesNotBreakTheCallOrTheNextListener() {
    AtomicInteger n = new AtomicInteger();
    Resilience r = onVirtualTime(clock, THROWS_ON_EVERYTHING)
        .listener(CallListener.of(events::add))
        .build();

    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(
        new Reply(n.incrementAndGet() == 1 ? 503 : 200)));
    clock.advance(ms(50));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly("server_error#1 503",
        "retry#2 50ms server_error", "success#2");
  }

  @Test
  void compositeIsolatesEachListener() {
    CallListener both = CallListener.composite(THROWS_ON_EVERYTHING,
        CallListener.of(events::add));

    both.onRetry(new RetryEvent("x", 2, ms(50), Outcome.Kind.TIMEOUT));

    assertThat(describe(events)).containsExactly("retry#2 50ms timeout");
  }

  @Test
  void compositeOfNothingIsTheNoop() {
    assertThat(CallListener.composite()).isSameAs(CallListener.noop());
    assertThat(CallListener.composite(CallListener.noop(), CallListener.noop()))
        .isSameAs(CallListener.noop());
  }
}

package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.after;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link CallListener#onCallEnd} fires once per call, with the whole call's duration. */
class CallListenerCallEndTest {
  private final FakeClock clock = new FakeClock();
  private final List<String> ends = new CopyOnWriteArrayList<>();
  private final CallListener recorder = new CallListener() {
    @Override
    public void onCallEnd(String name, Outcome.Kind kind, Duration duration) {
      ends.add(name + " " + kind.label() + " " + duration.toMillis() + "ms");
    }
  };

  @Test
  void retriedCallEndsOnceWithAttemptsAndWaitsIncluded() {
    AtomicInteger n = new AtomicInteger();
    Resilience r = onVirtualTime(clock, recorder).build();

    CompletableFuture<Reply> f = r.execute("x", BY_STATUS, () -> after(clock, ms(10),
        new Reply(n.incrementAndGet() == 1 ? 503 : 200)));
    clock.advance(ms(10)); // attempt 1 answers 503; the retry waits 50 ms
    clock.advance(ms(50));
    clock.advance(ms(20)); // attempt 2 answers 200 after 10 ms; 10 ms pass after the end

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(ends).containsExactly("x success 70ms");
  }

  @Test
  void callThatFailsForGoodEndsOnceWithItsLastKind() {
    Resilience r = onVirtualTime(clock, recorder).build();

    CompletableFuture<Reply> f = r.execute("x", BY_STATUS,
        () -> CompletableFuture.completedFuture(new Reply(503)));
    clock.advance(ms(350)); // waits of 50, 100 and 200 ms between four attempts

    assertThat(f).isDone();
    assertThat(ends).containsExactly("x server_error 350ms");
  }

  @Test
  void clientErrorEndsTheCallAtOnce() {
    Resilience r = onVirtualTime(clock, recorder).build();

    r.execute("x", BY_STATUS, () -> CompletableFuture.completedFuture(new Reply(404)));

    assertThat(ends).containsExactly("x client_error 0ms");
  }

  @Test
  void compositeIsolatesAListenerThatThrowsOnCallEnd() {
    CallListener throwing = new CallListener() {
      @Override
      public void onCallEnd(String name, Outcome.Kind kind, Duration duration) {
        throw new IllegalStateException("listener bug on call end");
      }
    };
    CallListener both = CallListener.composite(throwing, recorder);

    both.onCallEnd("x", Outcome.Kind.TIMEOUT, ms(5));

    assertThat(ends).containsExactly("x timeout 5ms");
  }
}

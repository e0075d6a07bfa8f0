package io.keelrpc.core.policy;

import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** Virtual-time attempts, an HTTP-like reply type and a compact view of events, for policy tests. */
final class PolicyFixtures {
  /** An HTTP-like answer: errors come back as values. */
  record Reply(int status) {}

  /** 2xx success, 4xx client error, 5xx retryable server error; failures by the defaults. */
  static final OutcomeClassifier<Reply> BY_STATUS = (reply, failure) -> {
    if (failure != null) {
      return OutcomeClassifier.classifyFailure(failure, true);
    }
    int s = reply.status();
    return s < 400 ? Outcome.success(s)
        : s < 500 ? Outcome.clientError(s, "HTTP " + s)
        : Outcome.serverError(s, "HTTP " + s);
  };

  private PolicyFixtures() {}

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** 4 attempts, waits of 50, 100, 200 ms: exponential from 50 ms without jitter. */
  static RetryPolicy fourAttempts() {
    return RetryPolicy.builder().maxAttempts(4).initialBackoff(ms(50)).multiplier(2.0)
        .jitter(Jitter.none()).build();
  }

  /**
   * A {@link Resilience} on {@code clock}'s virtual time that reports to {@code listener}: four
   * attempts (waits of 50, 100, 200 ms), no budget, jitter draws 0.5.
   */
  static Resilience.Builder onVirtualTime(FakeClock clock, CallListener listener) {
    return Resilience.builder()
        .ticker(clock)
        .scheduler(clock)
        .random(() -> 0.5)
        .retryPolicy(fourAttempts())
        .retryBudget(RetryBudget.unlimited())
        .listener(listener);
  }

  /** A stage that completes with {@code value} after {@code delay} of virtual time. */
  static <T> CompletionStage<T> after(FakeClock clock, Duration delay, T value) {
    CompletableFuture<T> f = new CompletableFuture<>();
    clock.schedule(() -> f.complete(value), delay.toNanos());
    return f;
  }

  /** A stage that never completes. */
  static <T> CompletableFuture<T> never() {
    return new CompletableFuture<>();
  }

  /**
   * The events in a compact form that shows what the matrix cares about: {@code success#1},
   * {@code retry#2 50ms server_error}, {@code retries_exhausted#4 max_attempts}, ...
   */
  static List<String> describe(List<CallEvent> events) {
    return events.stream().map(PolicyFixtures::describe).collect(Collectors.toList());
  }

  static String describe(CallEvent event) {
    String head = event.eventName() + "#" + event.attempt();
    if (event instanceof ClientErrorEvent e) {
      return head + " " + e.code();
    }
    if (event instanceof ServerErrorEvent e) {
      return head + " " + e.code();
    }
    if (event instanceof RetryEvent e) {
      return head + " " + e.waitTime().toMillis() + "ms " + e.reason().label();
    }
    if (event instanceof RetriesExhaustedEvent e) {
      return head + " " + e.reason().label();
    }
    return head;
  }
}

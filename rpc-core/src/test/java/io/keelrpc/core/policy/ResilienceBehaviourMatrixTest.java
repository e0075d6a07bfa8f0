package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.after;
import static io.keelrpc.core.policy.PolicyFixtures.describe;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.never;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.ServerErrorException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact events for each row of seed 001's behaviour matrix, on virtual time: success, slow
 * success, client errors, server errors, timeouts and connection errors with their retries, and
 * retries exhausted.
 */
class ResilienceBehaviourMatrixTest {
  private final FakeClock clock = new FakeClock();
  private final List<CallEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final Resilience resilience = onVirtualTime(clock, CallListener.of(events::add))
      .slowCallThreshold(ms(500))
      .perAttemptTimeout(ms(1000))
      .build();

  /** Runs a call whose attempt {@code n} (from 1) is {@code script.apply(n)}. */
  private CompletableFuture<Reply> run(IntFunction<CompletionStage<Reply>> script) {
    return resilience.execute("http://test/x", BY_STATUS,
        () -> script.apply(attempts.incrementAndGet()));
  }

  @Test
  void fastSuccessFiresSuccessOnly() {
    CompletableFuture<Reply> f = run(n -> after(clock, ms(45), new Reply(200)));
    clock.advance(ms(45));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly("success#1");
    SuccessEvent success = (SuccessEvent) events.get(0);
    assertThat(success.code()).isEqualTo(200);
    assertThat(success.latency()).isEqualTo(ms(45));
    assertThat(success.result()).isEqualTo(new Reply(200));
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void slowSuccessFiresSlowResponseAfterSuccess() {
    CompletableFuture<Reply> f = run(n -> after(clock, ms(623), new Reply(200)));
    clock.advance(ms(623));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly("success#1", "slow_response#1");
    SlowResponseEvent slow = (SlowResponseEvent) events.get(1);
    assertThat(slow.latency()).isEqualTo(ms(623));
    assertThat(slow.threshold()).isEqualTo(ms(500));
  }

  @Test
  void successAtExactlyTheThresholdIsNotSlow() {
    run(n -> after(clock, ms(500), new Reply(200)));
    clock.advance(ms(500));

    assertThat(describe(events)).containsExactly("success#1");
  }

  @Test
  void clientErrorStatusIsNotRetriedAndTheCallReturnsTheAnswer() {
    CompletableFuture<Reply> f = run(n -> after(clock, ms(5), new Reply(404)));
    clock.advance(ms(5));

    assertThat(f).isCompletedWithValue(new Reply(404));
    assertThat(describe(events)).containsExactly("client_error#1 404");
    assertThat(((ClientErrorEvent) events.get(0)).result()).isEqualTo(new Reply(404));
    assertThat(attempts).hasValue(1);
    assertThat(clock.pendingTasks()).isZero();
  }

  static Stream<Arguments> keelClientErrors() {
    return Stream.of(
        Arguments.of(new InvalidParamsException("bad", null), -32602),
        Arguments.of(new MethodNotFoundException("nope", null), -32601),
        Arguments.of(new ApplicationException(1001, "version mismatch"), 1001));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("keelClientErrors")
  void keelErrorAnswersThatAreTheCallersFaultAreClientErrors(RuntimeException error, int code) {
    CompletableFuture<Reply> f = run(n -> CompletableFuture.failedFuture(error));

    assertThat(f).isCompletedExceptionally();
    assertThat(describe(events)).containsExactly("client_error#1 " + code);
    assertThat(((ClientErrorEvent) events.get(0)).error()).isSameAs(error);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void serverErrorIsRetriedWithBackoffUntilSuccess() {
    CompletableFuture<Reply> f = run(n -> CompletableFuture.completedFuture(
        new Reply(n < 3 ? 503 : 200)));
    clock.advance(ms(49));
    assertThat(attempts).hasValue(1);
    clock.advance(ms(1));
    assertThat(attempts).hasValue(2);
    clock.advance(ms(100));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly(
        "server_error#1 503", "retry#2 50ms server_error",
        "server_error#2 503", "retry#3 100ms server_error",
        "success#3");
  }

  @Test
  void serverErrorEveryTimeExhaustsMaxAttempts() {
    CompletableFuture<Reply> f = run(n -> CompletableFuture.completedFuture(new Reply(500)));
    clock.advance(ms(350));

    assertThat(f).isCompletedWithValue(new Reply(500)); // the last answer, for the caller to read
    assertThat(describe(events)).containsExactly(
        "server_error#1 500", "retry#2 50ms server_error",
        "server_error#2 500", "retry#3 100ms server_error",
        "server_error#3 500", "retry#4 200ms server_error",
        "server_error#4 500", "retries_exhausted#4 max_attempts");
    RetriesExhaustedEvent last = (RetriesExhaustedEvent) events.get(7);
    assertThat(last.lastKind()).isEqualTo(Outcome.Kind.SERVER_ERROR);
    assertThat(last.lastCode()).isEqualTo(500);
    assertThat(last.lastError()).isEqualTo("HTTP 500");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void keelOverloadedAndUnavailableAreServerErrorsAndRetried() {
    CompletableFuture<Reply> f = run(n -> n == 1
        ? CompletableFuture.failedFuture(new UnavailableException("draining", null))
        : n == 2 ? CompletableFuture.failedFuture(new OverloadedException("busy", null))
        : CompletableFuture.completedFuture(new Reply(200)));
    clock.advance(ms(150));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly(
        "server_error#1 -32003", "retry#2 50ms server_error",
        "server_error#2 -32001", "retry#3 100ms server_error",
        "success#3");
  }

  @Test
  void retryWaitsAtLeastTheServersRetryAfter() {
    CompletableFuture<Reply> f = run(n -> n == 1
        ? CompletableFuture.failedFuture(OverloadedException.withRetryAfter("busy", ms(300)))
        : CompletableFuture.completedFuture(new Reply(200)));
    clock.advance(ms(299));
    assertThat(attempts).hasValue(1);
    clock.advance(ms(1));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly(
        "server_error#1 -32001", "retry#2 300ms server_error", "success#2");
  }

  @Test
  void timeoutIsRetriedAndTheAbandonedAttemptCancelled() {
    List<CompletableFuture<Reply>> started = new CopyOnWriteArrayList<>();
    CompletableFuture<Reply> f = run(n -> {
      CompletableFuture<Reply> a = n == 1 ? never() : CompletableFuture.completedFuture(
          new Reply(200));
      started.add(a);
      return a;
    });
    clock.advance(ms(1000));
    assertThat(started.get(0)).isCancelled();
    clock.advance(ms(50));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly("timeout#1", "retry#2 50ms timeout", "success#2");
    TimeoutEvent timeout = (TimeoutEvent) events.get(0);
    assertThat(timeout.waited()).isEqualTo(ms(1000));
    assertThat(timeout.error()).isInstanceOf(AttemptTimeoutException.class);
  }

  @Test
  void timeoutOfACallThatIsNotIdempotentIsNotRetried() {
    CompletableFuture<Reply> f = resilience.execute("inc", OutcomeClassifier.defaults(false),
        () -> {
          attempts.incrementAndGet();
          return never();
        });
    clock.advance(ms(1000));

    assertThat(f).isCompletedExceptionally();
    assertThat(describe(events)).containsExactly("timeout#1", "retries_exhausted#1 not_retryable");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void connectionRefusedIsRetried() {
    CompletableFuture<Reply> f = run(n -> n == 1
        ? CompletableFuture.failedFuture(new ConnectException("Connection refused"))
        : CompletableFuture.completedFuture(new Reply(200)));
    clock.advance(ms(50));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly(
        "connection_error#1", "retry#2 50ms connection", "success#2");
    assertThat(((ConnectionErrorEvent) events.get(0)).message()).isEqualTo("Connection refused");
  }

  @Test
  void attemptThatThrowsInsteadOfReturningAStageIsClassifiedLikeAFailedOne() {
    CompletableFuture<Reply> f = run(n -> {
      if (n == 1) {
        throw new ServerErrorException("boom", null);
      }
      return CompletableFuture.completedFuture(new Reply(200));
    });
    clock.advance(ms(50));

    assertThat(f).isCompletedWithValue(new Reply(200));
    assertThat(describe(events)).containsExactly(
        "server_error#1 -32000", "retry#2 50ms server_error", "success#2");
  }
}

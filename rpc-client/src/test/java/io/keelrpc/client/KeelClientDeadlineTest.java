package io.keelrpc.client;

import static io.keelrpc.client.FakeKeelServer.eventually;
import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.failureOf;
import static io.keelrpc.client.TestApi.ms;
import static io.keelrpc.client.TestApi.noJitter;
import static io.keelrpc.client.TestApi.valueOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.FakeKeelServer.Exchange;
import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client owns time: backoff schedules, and never waiting past the call's deadline. */
class KeelClientDeadlineTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void backoffWithoutJitterIs50Then100Then200Ms() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() < 4) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      for (int attempt = 2; attempt <= 4; attempt++) {
        server.awaitRequest(attempt - 1);
        long expected = 50L << (attempt - 2);
        eventually().until(() -> clock.pendingDelays().equals(List.of(ms(expected))));
        clock.advance(ms(expected - 1));
        assertThat(clock.pendingDelays()).containsExactly(ms(1));
        clock.advance(ms(1));
      }

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requests()).extracting(Exchange::attempt).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void backoffIsCappedAtMaxBackoff() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).initialBackoff(ms(50))
        .maxBackoff(ms(70)).jitter(Jitter.none()).build();
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() < 3) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(policy).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));
      server.awaitRequest(2);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(70))));
      clock.advance(ms(70));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
    }
  }

  @Test
  void jitterDrawsFromTheInjectedRandom() {
    // full jitter (the default) at u = 0.5 halves each base: 25 ms, then 50 ms
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() < 3) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(25))));
      clock.advance(ms(25));
      server.awaitRequest(2);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
    }
  }

  @Test
  void backoffThatWouldPassTheDeadlineFailsAtOnceWithTheOverload() {
    RetryPolicy slow = RetryPolicy.builder().initialBackoff(ms(500)).jitter(Jitter.none()).build();
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.OVERLOADED.code(), "busy", Map.of("retryAfterMs", 10)));
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(slow).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(300)).build());

      OverloadedException e = failureOf(f, OverloadedException.class);
      assertThat(e.retryAfter()).isEqualTo(ms(10));
      assertThat(clock.pendingTasks()).isZero();
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void retryAfterBeyondTheDeadlineFailsAtOnceWithTheOverload() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.OVERLOADED.code(), "busy", Map.of("retryAfterMs", 5000)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(1000)).build());

      assertThat(failureOf(f, OverloadedException.class).retryAfter()).isEqualTo(ms(5000));
      assertThat(clock.pendingTasks()).isZero();
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void deadlinePassingWhileWaitingForTheAnswerFailsTheCall() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(300)).build());
      server.awaitRequest(1);

      clock.advance(ms(299));
      assertThat(f).isNotDone();
      clock.advance(ms(1));

      failureOf(f, DeadlineExceededException.class);
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void deadlineCutsThePerAttemptTimeoutShortAndIsReportedAsSuch() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(300)).perAttemptTimeout(ms(500)).idempotent(true)
              .build());
      server.awaitRequest(1);

      clock.advance(ms(300));

      failureOf(f, DeadlineExceededException.class);
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void retriesStopExactlyAtTheDeadlineWithTheLastFailureAttached() {
    // deadline 1000, attempts of 400: attempt 1 times out at 400, waits 50; attempt 2 times out
    // at 850, waits 100; attempt 3 gets the 50 ms that are left and the deadline ends it.
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(10))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(1000)).perAttemptTimeout(ms(400)).idempotent(true)
              .build());
      server.awaitRequest(1);
      clock.advance(ms(450));
      server.awaitRequest(2);
      clock.advance(ms(500));
      server.awaitRequest(3);
      clock.advance(ms(49));
      assertThat(f).isNotDone();
      clock.advance(ms(1));

      DeadlineExceededException e = failureOf(f, DeadlineExceededException.class);
      assertThat(e.getCause()).isInstanceOf(AttemptTimeoutException.class);
      assertThat(server.requests()).extracting(Exchange::timeoutMs).containsExactly(1000L, 550L,
          50L);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void deadlineAfterAFailedAttemptCompletesTheCallInsteadOfHanging() {
    // regression: failDeadline used initCause on an exception whose cause was already fixed, threw
    // IllegalStateException inside the timer task, and the call's future never completed
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(300)).build());
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));
      server.awaitRequest(2);

      clock.advance(ms(250));

      DeadlineExceededException e = failureOf(f, DeadlineExceededException.class);
      assertThat(e.getMessage()).contains("2 attempt(s)", "inc");
      assertThat(e.getCause()).isInstanceOf(UnavailableException.class);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void serverDeadlineExceededAnswerIsNotRetried() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.DEADLINE_EXCEEDED.code(), "budget gone", null));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().idempotent(true).build());

      assertThat(failureOf(f, DeadlineExceededException.class).getMessage())
          .isEqualTo("budget gone");
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }
}

package io.keelrpc.client;

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
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.time.FakeClock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A per-attempt timeout decides when to send another copy of a call. When the retry budget will
 * not pay for that copy, the attempt already sent keeps waiting for its answer until the
 * deadline, instead of failing a call that is about to succeed.
 */
class KeelClientBudgetSpentAttemptTimeoutTest {
  private final FakeClock clock = new FakeClock();
  /** One token: the first failed attempt leaves nothing above half, so no retry is paid for. */
  private final RetryBudget spent = RetryBudget.builder().maxTokens(1).build();

  private CallOptions idempotentWithAttemptTimeout() {
    return CallOptions.builder().perAttemptTimeout(ms(30)).deadline(ms(1000)).idempotent(true)
        .build();
  }

  @Test
  void anAnswerAfterTheAttemptTimeoutStillCompletesTheCall() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .retryBudget(spent).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          idempotentWithAttemptTimeout());
      Exchange first = server.awaitRequest(1);

      clock.advance(ms(120)); // four attempt timeouts' worth: no copy is sent
      assertThat(f).isNotDone();
      first.replyResult(new Counter("a", 1));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void withoutAnAnswerTheDeadlineEndsTheCall() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .retryBudget(spent).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          idempotentWithAttemptTimeout());
      server.awaitRequest(1);

      clock.advance(ms(999));
      assertThat(f).isNotDone();
      clock.advance(ms(1));

      failureOf(f, DeadlineExceededException.class);
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void withBudgetLeftTheAttemptTimeoutSendsACopyAsBefore() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 2) {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          idempotentWithAttemptTimeout());
      server.awaitRequest(1);

      clock.advance(ms(30));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void aNonIdempotentCallStillFailsAtItsAttemptTimeout() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .retryBudget(spent).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().perAttemptTimeout(ms(30)).deadline(ms(1000)).build());
      server.awaitRequest(1);

      clock.advance(ms(30));

      failureOf(f, AttemptTimeoutException.class);
    }
  }
}

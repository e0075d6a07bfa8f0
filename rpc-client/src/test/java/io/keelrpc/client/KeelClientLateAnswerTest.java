package io.keelrpc.client;

import static io.keelrpc.client.TestApi.GET;
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
import io.keelrpc.client.TestApi.Key;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.time.FakeClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Answers nobody waits for (late, duplicated, or for an unknown id) are dropped and never complete
 * another call; answers on one connection may come in any order.
 */
class KeelClientLateAnswerTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void duplicatedAnswerDoesNotCompleteTheNextCall() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      Counter first = client.call(INC, new Inc("a", 1));
      CompletableFuture<Counter> second = client.callAsync(INC, new Inc("b", 1));
      Exchange a = server.awaitRequest(1);
      Exchange b = server.awaitRequest(2);

      a.replyResult(new Counter("a", 999)); // the network duplicates the first answer
      b.replyResult(new Counter("b", 2));

      assertThat(first).isEqualTo(new Counter("a", 1));
      assertThat(valueOf(second)).isEqualTo(new Counter("b", 2));
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void answerForAnUnknownIdIsDroppedAndTheRealAnswerCompletesTheCall() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          ex.replyResultWithId("nobody-waits-for-this", new Counter("x", -1));
          ex.replyResultWithId(42, new Counter("x", -2));
          ex.replyResultWithId(null, new Counter("x", -3));
          ex.replyResult(new Counter("a", 1));
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", 1));
      assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", 1));
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void answersOutOfOrderCompleteTheRightCalls() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> a = client.callAsync(INC, new Inc("a", 1));
      CompletableFuture<Counter> b = client.callAsync(INC, new Inc("b", 1));
      server.awaitRequest(2);
      Exchange forA = exchangeFor(server, "a");
      Exchange forB = exchangeFor(server, "b");
      assertThat(forA.connection()).isEqualTo(forB.connection());

      forB.replyResult(new Counter("b", 20));
      assertThat(valueOf(b)).isEqualTo(new Counter("b", 20));
      assertThat(a).isNotDone();
      forA.replyResult(new Counter("a", 10));

      assertThat(valueOf(a)).isEqualTo(new Counter("a", 10));
    }
  }

  @Test
  void lateAnswerAfterTheCallFailedIsDropped() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 2) {
            ex.replyResult(new Counter("b", 2));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> a = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().perAttemptTimeout(ms(100)).build());
      Exchange forA = server.awaitRequest(1);
      clock.advance(ms(100));
      failureOf(a, AttemptTimeoutException.class);

      forA.replyResult(new Counter("a", 1)); // too late: the call already failed
      Counter b = client.call(INC, new Inc("b", 1));

      assertThat(b).isEqualTo(new Counter("b", 2));
      assertThat(a).isCompletedExceptionally();
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void lateSuccessForTheSameCallDuringBackoffCompletesItWithoutAnotherAttempt() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(GET, new Key("a"),
          CallOptions.builder().perAttemptTimeout(ms(100)).build());
      Exchange first = server.awaitRequest(1);
      clock.advance(ms(100));
      assertThat(clock.pendingDelays()).containsExactly(ms(50));

      first.replyResult(new Counter("a", 5)); // same id: an answer to this very call

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 5));
      assertThat(clock.pendingTasks()).isZero();
      clock.advance(ms(50));
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void lateErrorForAnAbandonedAttemptDoesNotFailTheCall() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.method().equals("get") && ex.attempt() == 2) {
            ex.replyResult(new Counter("a", 7));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> read = client.callAsync(GET, new Key("a"),
          CallOptions.builder().perAttemptTimeout(ms(100)).build());
      CompletableFuture<Counter> marker = client.callAsync(INC, new Inc("m", 1));
      server.awaitRequest(2);
      Exchange readAttempt1 = exchangeFor(server, "a");
      Exchange forMarker = exchangeFor(server, "m");
      clock.advance(ms(100));
      assertThat(clock.pendingDelays()).startsWith(ms(50));

      readAttempt1.replyError(ErrorCode.METHOD_NOT_FOUND.code(), "late and wrong", null);
      forMarker.replyResult(new Counter("m", 1)); // once this is in, the late error was read
      assertThat(valueOf(marker)).isEqualTo(new Counter("m", 1));
      assertThat(read).isNotDone();
      assertThat(clock.pendingDelays()).startsWith(ms(50));

      clock.advance(ms(50));

      assertThat(valueOf(read)).isEqualTo(new Counter("a", 7));
      assertThat(server.requests()).filteredOn(ex -> ex.method().equals("get"))
          .extracting(Exchange::attempt).containsExactly(1, 2);
    }
  }

  private static Exchange exchangeFor(FakeKeelServer server, String key) {
    List<Exchange> matching = server.requests().stream()
        .filter(ex -> ex.params().path("key").asText().equals(key)).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }
}

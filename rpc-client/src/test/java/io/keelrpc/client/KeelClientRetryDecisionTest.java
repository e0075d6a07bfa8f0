package io.keelrpc.client;

import static io.keelrpc.client.FakeKeelServer.eventually;
import static io.keelrpc.client.TestApi.GET;
import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.failureOf;
import static io.keelrpc.client.TestApi.idempotent;
import static io.keelrpc.client.TestApi.ms;
import static io.keelrpc.client.TestApi.noJitter;
import static io.keelrpc.client.TestApi.valueOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.FakeKeelServer.Exchange;
import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.client.TestApi.Key;
import io.keelrpc.client.TestApi.Mismatch;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.InternalErrorException;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.ParseErrorException;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.ServerErrorException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures the client retries, and how often: only what is safe, at most maxAttempts. */
class KeelClientRetryDecisionTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void overloadedIsRetriedNoEarlierThanRetryAfter() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.OVERLOADED.code(), "busy", Map.of("retryAfterMs", 200));
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      // default policy, full jitter at 0.5: the backoff alone would be 25 ms
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(200))));

      clock.advance(ms(199));
      assertThat(clock.pendingDelays()).containsExactly(ms(1));
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(f).isNotDone();

      clock.advance(ms(1));
      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requests()).extracting(Exchange::attempt).containsExactly(1, 2);
    }
  }

  @Test
  void overloadedWithoutRetryAfterWaitsTheBackoff() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.OVERLOADED.code(), "busy", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(2))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
    }
  }

  @Test
  void unavailableIsRetriedEvenForNonIdempotentCalls() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  static Stream<Arguments> definiteErrors() {
    return Stream.of(
        Arguments.of(ErrorCode.PARSE_ERROR.code(), ParseErrorException.class),
        Arguments.of(ErrorCode.INVALID_REQUEST.code(), InvalidRequestException.class),
        Arguments.of(ErrorCode.METHOD_NOT_FOUND.code(), MethodNotFoundException.class),
        Arguments.of(ErrorCode.INVALID_PARAMS.code(), InvalidParamsException.class),
        Arguments.of(ErrorCode.INTERNAL_ERROR.code(), InternalErrorException.class),
        Arguments.of(ErrorCode.DEADLINE_EXCEEDED.code(), DeadlineExceededException.class),
        Arguments.of(ErrorCode.IDEMPOTENCY_KEY_REUSED.code(), IdempotencyKeyReusedException.class),
        Arguments.of(ErrorCode.CANCELLED.code(), CancelledException.class),
        Arguments.of(ErrorCode.UNAUTHENTICATED.code(), UnauthenticatedException.class),
        Arguments.of(-32050, RpcException.class));
  }

  @ParameterizedTest(name = "code {0}")
  @MethodSource("definiteErrors")
  void definiteErrorsAreNotRetriedEvenForIdempotentCalls(int code,
      Class<? extends RpcException> type) {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(code, "no", Map.of("detail", "x")));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1), idempotent());

      RpcException e = failureOf(f, type);
      assertThat(e).isExactlyInstanceOf(type);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).isEqualTo("no");
      assertThat(e.data().path("detail").asText()).isEqualTo("x");
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void applicationErrorIsAnAnswerWithReadableDataAndIsNotRetried() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(1001, "version mismatch", Map.of("actualVersion", 7)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1), idempotent());

      ApplicationException e = failureOf(f, ApplicationException.class);
      assertThat(e.code()).isEqualTo(1001);
      assertThat(e.errorCode()).isNull();
      assertThat(e.getMessage()).isEqualTo("version mismatch");
      assertThat(e.data(Mismatch.class)).isEqualTo(new Mismatch(7));
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void serverErrorIsNotRetriedForANonIdempotentCall() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.SERVER_ERROR.code(), "boom", null));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));

      assertThat(failureOf(f, ServerErrorException.class).getMessage()).isEqualTo("boom");
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void serverErrorIsRetriedForAnIdempotentCall() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.SERVER_ERROR.code(), "boom", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1), idempotent());
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void idempotencyKeyMakesACallRetryable() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.SERVER_ERROR.code(), "boom", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().idempotencyKey("k1").build());
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      assertThat(server.requests()).extracting(ex -> ex.meta().path("idempotencyKey").asText())
          .containsExactly("k1", "k1");
    }
  }

  @Test
  void readOnlyMethodIsRetriedAfterServerError() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.SERVER_ERROR.code(), "boom", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(GET, new Key("a"));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
    }
  }

  @Test
  void readOnlyMethodExplicitlyMarkedNonIdempotentIsNotRetried() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.SERVER_ERROR.code(), "boom", null));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(GET, new Key("a"),
          CallOptions.builder().idempotent(false).build());

      failureOf(f, ServerErrorException.class);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void attemptTimeoutFailsANonIdempotentCallAfterOneAttempt() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().perAttemptTimeout(ms(100)).build());
      server.awaitRequest(1);

      clock.advance(ms(99));
      assertThat(f).isNotDone();
      clock.advance(ms(1));

      AttemptTimeoutException e = failureOf(f, AttemptTimeoutException.class);
      assertThat(e.timeout()).isEqualTo(ms(100));
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void attemptTimeoutIsRetriedForAnIdempotentCall() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 2) {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().perAttemptTimeout(ms(100)).idempotent(true).build());
      server.awaitRequest(1);

      clock.advance(ms(100));
      assertThat(clock.pendingDelays()).containsExactly(ms(50));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      List<Exchange> requests = server.requests();
      assertThat(requests).extracting(Exchange::attempt).containsExactly(1, 2);
      assertThat(requests.get(1).id()).isEqualTo(requests.get(0).id());
    }
  }

  @Test
  void connectionClosedAfterSendingFailsANonIdempotentCall() {
    try (FakeKeelServer server = FakeKeelServer.start(Exchange::closeConnection);
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));

      TransportException e = failureOf(f, TransportException.class);
      assertThat(e.requestSent()).isTrue();
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void connectionClosedAfterSendingIsRetriedOnANewConnectionForAnIdempotentCall() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.closeConnection();
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1), idempotent());
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      List<Exchange> requests = server.requests();
      assertThat(requests).extracting(Exchange::connection).containsExactly(1, 2);
      assertThat(requests.get(1).id()).isEqualTo(requests.get(0).id());
      assertThat(server.acceptedConnections()).isEqualTo(2);
    }
  }

  @Test
  void connectionRefusedIsRetriedThenFailsAfterMaxAttempts() throws IOException {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    try (KeelClient client = virtualTimeClient(deadPort, clock).retryPolicy(noJitter(3))
        .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(100))));
      assertThat(f).isNotDone();
      clock.advance(ms(100));

      TransportException e = failureOf(f, TransportException.class);
      assertThat(e.requestSent()).isFalse();
      assertThat(e.getMessage()).contains("127.0.0.1:" + deadPort);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void maxAttemptsIsRespectedExactly() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null));
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(3))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));
      server.awaitRequest(2);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(100))));
      clock.advance(ms(100));

      failureOf(f, UnavailableException.class);
      assertThat(server.requests()).extracting(Exchange::attempt).containsExactly(1, 2, 3);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void noRetriesPolicyMakesOneAttempt() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().retryPolicy(io.keelrpc.core.retry.RetryPolicy.noRetries()).build());

      failureOf(f, UnavailableException.class);
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void resultThatDoesNotBindFailsWithResponseDecodingAndIsNotRetried() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyResult(Map.of("key", "a", "value", "not a number")));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(GET, new Key("a"));

      assertThat(failureOf(f, ResponseDecodingException.class).getMessage())
          .contains("get", "Counter");
      assertThat(server.requestCount()).isEqualTo(1);
      assertThat(clock.pendingTasks()).isZero();
    }
  }
}

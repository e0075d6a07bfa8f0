package io.keelrpc.client;

import static io.keelrpc.client.FakeKeelServer.eventually;
import static io.keelrpc.client.TestApi.GET;
import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.failureOf;
import static io.keelrpc.client.TestApi.ms;
import static io.keelrpc.client.TestApi.noJitter;
import static io.keelrpc.client.TestApi.valueOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.FakeKeelServer.Exchange;
import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.client.TestApi.Key;
import io.keelrpc.client.TestApi.Mismatch;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One lazily opened, shared connection; reconnection; closing; blocking calls. */
class KeelClientLifecycleTest {
  /** A params type whose accessor throws, so Jackson cannot write it. */
  record Unserialisable(String key) {
    @Override
    public String key() {
      throw new IllegalStateException("no key today");
    }
  }

  static final MethodDescriptor<Unserialisable, Counter> UNSERIALISABLE =
      MethodDescriptor.of("inc", Unserialisable.class, Counter.class);

  private final FakeClock clock = new FakeClock();

  @Test
  void sequentialCallsShareOneConnection() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyResult(new Counter("a", ex.index())));
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      for (int i = 1; i <= 10; i++) {
        assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", i));
      }

      assertThat(server.acceptedConnections()).isEqualTo(1);
      assertThat(server.requests()).extracting(Exchange::connection).containsOnly(1);
    }
  }

  @Test
  void concurrentCallsWhileConnectingShareOneConnection() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyResult(new Counter(ex.params().path("key").asText(), 1)));
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      List<CompletableFuture<Counter>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(client.callAsync(INC, new Inc("k" + i, 1)));
      }

      for (int i = 0; i < 10; i++) {
        assertThat(valueOf(calls.get(i))).isEqualTo(new Counter("k" + i, 1));
      }
      assertThat(server.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void nextCallAfterTheServerClosedTheConnectionReconnects() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyResult(new Counter("a", ex.index())));
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      client.call(INC, new Inc("a", 1));
      server.shutdownOutputs();
      eventually().until(() -> server.connectionsClosedByClient() == 1);
      assertThat(server.acceptedConnections()).isEqualTo(1);

      assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", 2));

      assertThat(server.acceptedConnections()).isEqualTo(2);
      assertThat(server.requests()).extracting(Exchange::connection).containsExactly(1, 2);
    }
  }

  @Test
  void connectionLostWhileWaitingFailsEveryCallOnIt() {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT);
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> a = client.callAsync(INC, new Inc("a", 1));
      CompletableFuture<Counter> b = client.callAsync(INC, new Inc("b", 1));
      server.awaitRequest(2);

      server.closeConnections();

      assertThat(failureOf(a, TransportException.class).requestSent()).isTrue();
      assertThat(failureOf(b, TransportException.class).requestSent()).isTrue();
      assertThat(clock.pendingTasks()).isZero();
    }
  }

  @Test
  void closingTheClientFailsPendingCallsAndCancelsTheirTimers() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.method().equals("get")) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          }
        })) {
      KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4)).build();
      CompletableFuture<Counter> waiting = client.callAsync(INC, new Inc("a", 1));
      CompletableFuture<Counter> backingOff = client.callAsync(GET, new Key("b"));
      server.awaitRequest(2);
      eventually().until(() -> clock.pendingDelays().contains(ms(50)));

      client.close();

      failureOf(waiting, ClientClosedException.class);
      failureOf(backingOff, ClientClosedException.class);
      assertThat(clock.pendingTasks()).isZero();
      eventually().until(() -> server.openConnections() == 0);
      client.close(); // a second close does nothing
    }
  }

  @Test
  void closingFromACompletionCallbackOnTheClientsOwnThreadWorks() throws Exception {
    try (FakeKeelServer server = FakeKeelServer.start(FakeKeelServer.SILENT)) {
      KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
      CompletableFuture<Counter> call = client.callAsync(INC, new Inc("a", 1));
      CompletableFuture<Void> closed = call.thenRun(client::close);

      server.awaitRequest(1).replyResult(new Counter("a", 1)); // completes on the I/O thread

      // regression: close() on the I/O thread waited 2 s for that very thread to terminate
      assertThat(closed).succeedsWithin(Duration.ofMillis(1500));
      assertThat(client.callAsync(INC, new Inc("a", 1))).isCompletedExceptionally();
      eventually().until(() -> server.openConnections() == 0);
    }
  }

  @Test
  void callsAfterCloseFailAtOnceWithClientClosed() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)))) {
      KeelClient client = virtualTimeClient(server.port(), clock).build();
      client.call(INC, new Inc("a", 1));
      client.close();

      CompletableFuture<Counter> later = client.callAsync(INC, new Inc("a", 1));

      assertThat(later).isCompletedExceptionally();
      failureOf(later, ClientClosedException.class);
      assertThatThrownBy(() -> client.call(INC, new Inc("a", 1)))
          .isInstanceOf(ClientClosedException.class);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void blockingCallThrowsTheTypedExceptionNotCompletionException() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.METHOD_NOT_FOUND.code(), "no method \"inc\"", null));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      assertThatThrownBy(() -> client.call(INC, new Inc("a", 1)))
          .isExactlyInstanceOf(MethodNotFoundException.class)
          .hasMessage("no method \"inc\"");
    }
  }

  @Test
  void blockingCallThrowsApplicationErrorsWithTheirData() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(1001, "version mismatch", new Mismatch(3)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      Throwable thrown = catchThrowable(() -> client.call(INC, new Inc("a", 1)));

      assertThat(thrown).isExactlyInstanceOf(ApplicationException.class);
      assertThat(((ApplicationException) thrown).data(Mismatch.class)).isEqualTo(new Mismatch(3));
    }
  }

  @Test
  void cancellingTheFutureStopsRetriesAndCancelsTimers() {
    try (FakeKeelServer server = FakeKeelServer.start(
            ex -> ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null));
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(4))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));

      assertThat(f.cancel(true)).isTrue();

      assertThat(clock.pendingTasks()).isZero();
      clock.advance(ms(1000));
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void paramsThatCannotBeSerialisedFailWithIllegalArgument() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(UNSERIALISABLE, new Unserialisable("a"));

      failureOf(f, IllegalArgumentException.class);
      assertThatThrownBy(() -> client.call(UNSERIALISABLE, new Unserialisable("a")))
          .isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Unserialisable");
      assertThat(server.requestCount()).isZero();
    }
  }

  @Test
  void callRejectsNullMethodAndOptions() {
    try (KeelClient client = KeelClient.builder().endpoint("127.0.0.1", 9).build()) {
      assertThatThrownBy(() -> client.callAsync(null, new Inc("a", 1)))
          .isInstanceOf(NullPointerException.class).hasMessage("method");
      assertThatThrownBy(() -> client.callAsync(INC, new Inc("a", 1), null))
          .isInstanceOf(NullPointerException.class).hasMessage("options");
    }
  }
}

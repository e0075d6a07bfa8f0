package io.keelrpc.client;

import static io.keelrpc.client.FakeKeelServer.eventually;
import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.ms;
import static io.keelrpc.client.TestApi.noJitter;
import static io.keelrpc.client.TestApi.valueOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.FakeKeelServer.Exchange;
import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.time.FakeClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the client puts on the wire: one id per logical call, and the {@code meta} member. */
class KeelClientIdsAndMetaTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void everyAttemptOfOneCallCarriesTheSameStringIdAndCountsAttempts() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() < 3) {
            ex.replyError(ErrorCode.UNAVAILABLE.code(), "draining", null);
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).retryPolicy(noJitter(3))
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));
      server.awaitRequest(1);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(50))));
      clock.advance(ms(50));
      server.awaitRequest(2);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(100))));
      clock.advance(ms(100));

      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
      List<Exchange> requests = server.requests();
      assertThat(requests).hasSize(3);
      assertThat(requests).allSatisfy(
          ex -> assertThat(ex.request().get("id").isTextual()).isTrue());
      assertThat(requests).extracting(Exchange::id).containsOnly(requests.get(0).id());
      assertThat(requests).extracting(Exchange::attempt).containsExactly(1, 2, 3);
    }
  }

  @Test
  void separateCallsGetDifferentIds() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      client.call(INC, new Inc("a", 1));
      client.call(INC, new Inc("a", 1));

      List<Exchange> requests = server.requests();
      assertThat(requests).hasSize(2);
      assertThat(requests.get(0).id()).isNotEmpty().isNotEqualTo(requests.get(1).id());
      assertThat(requests).extracting(Exchange::attempt).containsExactly(1, 1);
    }
  }

  @Test
  void idsDifferBetweenClients() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient first = virtualTimeClient(server.port(), clock).build();
        KeelClient second = virtualTimeClient(server.port(), clock).build()) {
      first.call(INC, new Inc("a", 1));
      second.call(INC, new Inc("a", 1));

      List<Exchange> requests = server.requests();
      assertThat(requests.get(0).id()).isNotEqualTo(requests.get(1).id());
    }
  }

  @Test
  void timeoutMsIsTheRemainingBudgetOfTheWholeCall() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            ex.replyError(ErrorCode.OVERLOADED.code(), "busy", Map.of("retryAfterMs", 300));
          } else {
            ex.replyResult(new Counter("a", 1));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1),
          CallOptions.builder().deadline(ms(1000)).build());
      assertThat(server.awaitRequest(1).timeoutMs()).isEqualTo(1000);
      eventually().until(() -> clock.pendingDelays().equals(List.of(ms(300))));

      clock.advance(ms(300));

      assertThat(server.awaitRequest(2).timeoutMs()).isEqualTo(700);
      assertThat(valueOf(f)).isEqualTo(new Counter("a", 1));
    }
  }

  @Test
  void timeoutMsIsTheCallBudgetNotThePerAttemptTimeout() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      client.call(INC, new Inc("a", 1), CallOptions.builder().deadline(ms(2000))
          .perAttemptTimeout(ms(100)).build());

      assertThat(server.awaitRequest(1).timeoutMs()).isEqualTo(2000);
    }
  }

  @Test
  void clientDefaultDeadlineIsSentWhenTheCallSetsNone() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient client = virtualTimeClient(server.port(), clock).deadline(ms(1500)).build()) {
      client.call(INC, new Inc("a", 1));

      assertThat(server.awaitRequest(1).timeoutMs()).isEqualTo(1500);
    }
  }

  @Test
  void idempotencyKeyIsSentOnlyWhenTheCallSetsOne() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 1)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      client.call(INC, new Inc("a", 1));
      client.call(INC, new Inc("a", 1), CallOptions.builder().idempotent(true).build());
      client.call(INC, new Inc("a", 1), CallOptions.builder().idempotencyKey("order-17").build());

      List<Exchange> requests = server.requests();
      assertThat(requests.get(0).meta().has("idempotencyKey")).isFalse();
      assertThat(requests.get(1).meta().has("idempotencyKey")).isFalse();
      assertThat(requests.get(2).meta().get("idempotencyKey").textValue()).isEqualTo("order-17");
      assertThat(requests.get(2).id()).isNotEqualTo("order-17");
    }
  }

  @Test
  void requestsAreJsonRpc2WithMethodAndParams() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 2)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      client.call(INC, new Inc("a", 2));

      Exchange ex = server.awaitRequest(1);
      assertThat(ex.request().get("jsonrpc").textValue()).isEqualTo("2.0");
      assertThat(ex.method()).isEqualTo("inc");
      assertThat(ex.params()).isEqualTo(FakeKeelServer.JSON.valueToTree(Map.of("key", "a",
          "delta", 2)));
      assertThat(ex.meta().get("attempt").intValue()).isEqualTo(1);
    }
  }

  @Test
  void nullParamsAreLeftOut() {
    try (FakeKeelServer server = FakeKeelServer.start(ex -> ex.replyResult(new Counter("a", 0)));
        KeelClient client = virtualTimeClient(server.port(), clock).build()) {
      client.call(INC, null);

      assertThat(server.awaitRequest(1).request().has("params")).isFalse();
    }
  }
}

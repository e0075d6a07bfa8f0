package io.keelrpc.client.listener;

import static io.keelrpc.client.listener.ListenerFixtures.INC;
import static io.keelrpc.client.listener.ListenerFixtures.describe;
import static io.keelrpc.client.listener.ListenerFixtures.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.listener.ListenerFixtures.Inc;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a server that fails every call, the client's retry budget (on by default) bounds the
 * requests per logical call: about {@code maxTokens / 2} retries in all instead of
 * {@code maxAttempts - 1} per call.
 */
class KeelClientRetryBudgetTest {
  private static final int CALLS = 20;
  /** Four attempts, retried at once: the budget, not time, is what limits them. */
  private static final RetryPolicy FOUR_AT_ONCE = RetryPolicy.builder().maxAttempts(4)
      .initialBackoff(Duration.ZERO).jitter(Jitter.none()).build();

  private final AtomicInteger requests = new AtomicInteger();
  private KeelServer failing;

  @BeforeEach
  void startFailingServer() {
    failing = server().handle(INC, (p, ctx) -> {
      requests.incrementAndGet();
      throw new UnavailableException("always failing", null);
    }).start();
  }

  @AfterEach
  void stopServer() {
    failing.close();
  }

  /** Makes {@link #CALLS} calls one after the other; each must fail. */
  private void callsThatAllFail(KeelClient client) {
    for (int i = 0; i < CALLS; i++) {
      Throwable t = catchThrowable(() -> client.callAsync(INC, new Inc("k", 1))
          .get(10, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(UnavailableException.class);
    }
  }

  private KeelClient.Builder client() {
    return KeelClient.builder().endpoint("127.0.0.1", failing.port()).retryPolicy(FOUR_AT_ONCE);
  }

  @Test
  void withoutABudgetEveryCallSendsMaxAttempts() {
    try (KeelClient client = client().retryBudget(RetryBudget.unlimited()).build()) {
      callsThatAllFail(client);
    }

    assertThat(requests).hasValue(CALLS * 4);
  }

  @Test
  void defaultBudgetBoundsTheRequestsPerCall() {
    try (KeelClient client = client().build()) {
      callsThatAllFail(client);
    }

    // 20 tokens, ratio 0.5: calls 1-2 send 4 requests each (20 -> 12 tokens), call 3 sends 2
    // (-> 10, not above half), every later call 1
    assertThat(requests).hasValue(4 + 4 + 2 + (CALLS - 3));
    assertThat(requests.get()).isLessThanOrEqualTo(CALLS + RetryBudget.DEFAULT_MAX_TOKENS / 2);
  }

  @Test
  void callHeldBackByTheBudgetEndsWithRetriesExhaustedBudget() {
    List<CallEvent> events = new CopyOnWriteArrayList<>();
    RetryBudget small = RetryBudget.builder().maxTokens(4).tokenRatio(0.5).build();
    try (KeelClient client = client().retryBudget(small).listener(CallListener.of(events::add))
        .build()) {
      callsThatAllFail(client);
    }

    assertThat(describe(events)).startsWith(
        "server_error#1 -32003", "retry#2 0ms server_error",
        "server_error#2 -32003", "retries_exhausted#2 budget",
        "server_error#1 -32003", "retries_exhausted#1 budget");
    assertThat(requests).hasValue(2 + (CALLS - 1));
  }

  @Test
  void clientsSharingABudgetAreThrottledTogether() {
    RetryBudget shared = RetryBudget.builder().maxTokens(4).tokenRatio(0.5).build();
    try (KeelClient a = client().retryBudget(shared).build();
        KeelClient b = client().retryBudget(shared).build()) {
      callsThatAllFail(a);
      requests.set(0);
      callsThatAllFail(b);
    }

    assertThat(requests).as("b got no retries: a spent the budget").hasValue(CALLS);
  }
}

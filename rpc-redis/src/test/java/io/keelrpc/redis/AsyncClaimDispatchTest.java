package io.keelrpc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The server's asynchronous claim path ({@link IdempotencyStore#claimAsync}) with a store whose
 * answers the test controls: the call waits for the claim without blocking the server, and a
 * failed claim answers UNAVAILABLE without running the handler.
 */
class AsyncClaimDispatchTest {
  record Text(String text) {}

  static final MethodDescriptor<Text, Text> ECHO =
      MethodDescriptor.of("echo", Text.class, Text.class);
  static final MethodDescriptor<Text, Text> PEEK =
      MethodDescriptor.of("peek", Text.class, Text.class).asReadOnly();

  /** The in-memory store behind claims that complete only when the test says so. */
  static final class GatedStore implements IdempotencyStore {
    final InMemoryIdempotencyStore delegate = InMemoryIdempotencyStore.builder().build();
    final AtomicReference<CompletableFuture<Entry>> pending = new AtomicReference<>();
    volatile RuntimeException failure;

    @Override
    public Entry claim(String key, long fingerprint) {
      return delegate.claim(key, fingerprint);
    }

    @Override
    public CompletionStage<Entry> claimAsync(String key, long fingerprint, Deadline deadline) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      CompletableFuture<Entry> f = new CompletableFuture<>();
      pending.set(f);
      return f.thenApply(ignored -> delegate.claim(key, fingerprint));
    }

    @Override
    public void complete(String key, Outcome outcome) {
      delegate.complete(key, outcome);
    }

    @Override
    public void release(String key, Outcome rejection) {
      delegate.release(key, rejection);
    }
  }

  @Test
  void callWaitsForTheClaimThenRunsAndAFailedClaimAnswersUnavailable() {
    GatedStore store = new GatedStore();
    AtomicInteger runs = new AtomicInteger();
    try (KeelServer server = KeelServer.builder().port(0).idempotencyStore(store)
            .handle(ECHO, (p, ctx) -> {
              runs.incrementAndGet();
              return p;
            })
            .handle(PEEK, (p, ctx) -> p).start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      CallOptions once = CallOptions.builder().retryPolicy(RetryPolicy.noRetries()).build();

      CompletableFuture<Text> call = client.callAsync(ECHO, new Text("hi"), once);
      await().until(() -> store.pending.get() != null);
      assertThat(call).as("waiting for the store").isNotDone();
      assertThat(client.call(PEEK, new Text("other"), once)).as("the connection is not blocked")
          .isEqualTo(new Text("other"));
      assertThat(call).isNotDone();
      store.pending.get().complete(null);
      assertThat(call.join()).isEqualTo(new Text("hi"));
      assertThat(runs.get()).isEqualTo(1);

      store.failure = new IllegalStateException("store exploded");
      assertThatThrownBy(() -> client.call(ECHO, new Text("again"), once))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("the idempotency store failed")
          .hasMessageContaining("store exploded")
          .hasMessageContaining("did not run");
      assertThat(runs.get()).isEqualTo(1);
    }
  }
}

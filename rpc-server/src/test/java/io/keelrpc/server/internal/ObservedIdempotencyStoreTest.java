package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.ServerListener;
import io.keelrpc.server.ServerListener.IdempotencyResult;
import io.keelrpc.server.idempotency.IdempotencyStore;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import io.keelrpc.server.idempotency.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The decorator classifies each claim, synchronous or asynchronous, and changes no answer. */
class ObservedIdempotencyStoreTest {
  private static final Outcome RESULT =
      new Outcome(false, "1".getBytes(StandardCharsets.UTF_8));

  private final List<IdempotencyResult> seen = new CopyOnWriteArrayList<>();
  private final ServerObserver observer = ServerObserver.of(new ServerListener() {
    @Override
    public void onIdempotency(IdempotencyResult result) {
      seen.add(result);
    }
  }, Map.of(), Ticker.system());

  @Test
  void synchronousClaimsAreMissJoinHitAndConflict() {
    IdempotencyStore store = observer.observe(InMemoryIdempotencyStore.builder().build());

    assertThat(store.claim("k", 1)).isNull();
    assertThat(store.claim("k", 1).outcome().toCompletableFuture()).isNotDone();
    store.complete("k", RESULT);
    assertThat(store.claim("k", 1).outcome().toCompletableFuture()).isCompletedWithValue(RESULT);
    assertThat(store.claim("k", 2).fingerprint()).isEqualTo(1);

    assertThat(seen).containsExactly(IdempotencyResult.MISS, IdempotencyResult.JOIN,
        IdempotencyResult.HIT, IdempotencyResult.CONFLICT);
  }

  @Test
  void asynchronousClaimIsReportedWhenTheStoreAnswers() {
    CompletableFuture<IdempotencyStore.Entry> answer = new CompletableFuture<>();
    IdempotencyStore remote = new IdempotencyStore() {
      @Override
      public Entry claim(String key, long fingerprint) {
        throw new AssertionError("the server claims asynchronously");
      }

      @Override
      public CompletionStage<Entry> claimAsync(String key, long fingerprint, Deadline deadline) {
        return answer;
      }

      @Override
      public void complete(String key, Outcome outcome) {}

      @Override
      public void release(String key, Outcome rejection) {}
    };
    IdempotencyStore store = observer.observe(remote);

    CompletableFuture<IdempotencyStore.Entry> claim =
        store.claimAsync("k", 1, null).toCompletableFuture();
    assertThat(seen).isEmpty();
    answer.complete(null);

    assertThat(claim).isCompletedWithValue(null);
    assertThat(seen).containsExactly(IdempotencyResult.MISS);
  }

  @Test
  void withoutAListenerTheStoreIsNotWrapped() {
    IdempotencyStore store = InMemoryIdempotencyStore.builder().build();

    assertThat(ServerObserver.NONE.observe(store)).isSameAs(store);
    assertThat(ServerObserver.NONE.observe((IdempotencyStore) null)).isNull();
  }
}

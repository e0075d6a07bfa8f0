package io.keelrpc.client.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ClientClosedException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the client sends {@code $/cancel}, seen from a peer that records the frames: for a call
 * its caller ended (cancelled, completed it, or closed the client) while its request was out;
 * never for a call that ended with its answer. Every test ends by cancelling a last call and
 * waiting for that cancel, so a cancel that should not have been sent would have arrived first.
 */
class KeelClientCancelWireTest {
  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.of(RecordingPeer.ECHO, String.class, String.class);
  static final MethodDescriptor<String, String> HANG =
      MethodDescriptor.of("hang", String.class, String.class);

  private final RecordingPeer peer = new RecordingPeer();
  private final KeelClient client = KeelClient.builder()
      .endpoint("127.0.0.1", peer.port())
      .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
      .build();

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    peer.close();
  }

  /** Starts a call that is never answered and cancels it once the peer has its request. */
  private String cancelOneHangingCall(int requestNumber) {
    CompletableFuture<String> f = client.callAsync(HANG, "last");
    String id = peer.awaitRequest(requestNumber);
    f.cancel(true);
    return id;
  }

  @Test
  void cancellingTheFutureSendsTheLspStyleNotificationForItsId() {
    CompletableFuture<String> f = client.callAsync(HANG, "x");
    String id = peer.awaitRequest(1);

    assertThat(f.cancel(true)).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> peer.cancelledIds().contains(id));
    JsonNode cancel = peer.frames().get(1);
    assertThat(cancel.toString())
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":\"" + id + "\"}}");
    assertThat(f).isCancelled();
  }

  @Test
  void completingTheFutureWithATimeoutAbandonsTheCallToo() {
    CompletableFuture<String> f = client.callAsync(HANG, "x");
    String id = peer.awaitRequest(1);

    f.completeExceptionally(new TimeoutException("the caller stopped waiting"));

    await().atMost(Duration.ofSeconds(10)).until(() -> peer.cancelledIds().contains(id));
  }

  @Test
  void callsThatEndedWithTheirAnswerAreNotCancelled() {
    assertThat(client.call(ECHO, "a")).isEqualTo(peer.awaitRequest(1));
    assertThat(client.call(ECHO, "b")).isEqualTo(peer.awaitRequest(2));

    String last = cancelOneHangingCall(3);

    await().atMost(Duration.ofSeconds(10)).until(() -> !peer.cancelledIds().isEmpty());
    assertThat(peer.cancelledIds()).containsExactly(last);
  }

  @Test
  void aCallWhoseDeadlinePassedIsNotCancelledTheServerHasTheSameDeadline() throws Exception {
    CompletableFuture<String> f = client.callAsync(HANG, "x",
        CallOptions.builder().deadline(Duration.ofMillis(200)).build());
    peer.awaitRequest(1);
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      // DeadlineExceededException
    }

    String last = cancelOneHangingCall(2);

    await().atMost(Duration.ofSeconds(10)).until(() -> !peer.cancelledIds().isEmpty());
    assertThat(peer.cancelledIds()).containsExactly(last);
  }

  @Test
  void closingTheClientCancelsEveryCallInFlightBeforeTheConnectionCloses() {
    CompletableFuture<String> first = client.callAsync(HANG, "1");
    CompletableFuture<String> second = client.callAsync(HANG, "2");
    await().atMost(Duration.ofSeconds(10)).until(() -> peer.requestIds().size() == 2);

    client.close();

    peer.awaitEndOfStream();
    assertThat(peer.cancelledIds()).containsExactlyInAnyOrderElementsOf(peer.requestIds());
    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
    assertThat(first.handle((r, t) -> t).join()).isInstanceOf(ClientClosedException.class);
  }
}

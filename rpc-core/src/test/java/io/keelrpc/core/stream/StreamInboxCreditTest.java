package io.keelrpc.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.wire.StreamInbox;
import io.keelrpc.core.wire.StreamMessage;
import io.keelrpc.core.wire.StreamWaitObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The receiving end of a stream: its window, the credit it returns, and how it ends. */
class StreamInboxCreditTest {
  private final List<Integer> grants = new ArrayList<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final CountDownLatch firstWait = new CountDownLatch(1);
  private final StreamWaitObserver observer = new StreamWaitObserver() {
    @Override
    public void waiting() {
      waiting.incrementAndGet();
      firstWait.countDown();
    }

    @Override
    public void doneWaiting() {
      waiting.decrementAndGet();
    }
  };

  private StreamInbox<String> inbox(int window) {
    return new StreamInbox<>(window, n -> {
      synchronized (grants) {
        grants.add(n);
      }
    }, observer);
  }

  private static void fill(StreamInbox<String> in, int from, int to) {
    for (int i = from; i < to; i++) {
      assertThat(in.offer(i, "i" + i)).isNull();
    }
  }

  @Test
  void aWindowOfItemsIsAcceptedAndTheNextIsASenderViolation() {
    StreamInbox<String> in = inbox(4);

    fill(in, 0, 4);

    assertThat(in.offer(4, "i4")).contains("exceeds the credit granted (window 4)");
    assertThat(in.buffered()).isEqualTo(4);
    assertThat(in.maxBuffered()).isEqualTo(4);
  }

  @Test
  void creditIsReturnedInBatchesOfHalfTheWindowAsItemsAreTaken() throws Exception {
    StreamInbox<String> in = inbox(4);
    fill(in, 0, 4);

    assertThat(in.take(null)).isEqualTo("i0");
    assertThat(grants).isEmpty();
    assertThat(in.take(null)).isEqualTo("i1");
    assertThat(grants).containsExactly(2);

    fill(in, 4, 6); // the two returned credits
    assertThat(in.offer(6, "i6")).isNotNull();
    assertThat(in.maxBuffered()).isEqualTo(4);
  }

  @Test
  void aWindowOfOneReturnsEachCreditAtOnce() throws Exception {
    StreamInbox<String> in = inbox(1);
    fill(in, 0, 1);
    assertThat(in.offer(1, "i1")).isNotNull();

    in.take(null);
    fill(in, 1, 2);

    assertThat(grants).containsExactly(1);
  }

  @Test
  void itemsOutOfSequenceAreViolations() {
    StreamInbox<String> in = inbox(8);
    fill(in, 0, 2);

    assertThat(in.offer(3, "gap")).isEqualTo("item seq 3, expected 2");
    assertThat(in.offer(1, "again")).isEqualTo("item seq 1, expected 2");
    assertThat(in.offer(StreamMessage.ABSENT, "none")).isEqualTo("item seq missing, expected 2");
    assertThat(in.received()).isEqualTo(2);
  }

  @Test
  void endDeliversTheBufferedItemsThenNull() throws Exception {
    StreamInbox<String> in = inbox(8);
    fill(in, 0, 2);

    assertThat(in.end(2)).isNull();

    assertThat(in.take(null)).isEqualTo("i0");
    assertThat(in.take(null)).isEqualTo("i1");
    assertThat(in.take(null)).isNull();
    assertThat(in.take(null)).isNull();
    assertThat(grants).isEmpty(); // nothing more comes: no credit is returned after the end
  }

  @Test
  void anEndWithTheWrongCountAndItemsAfterTheEndAreViolations() {
    StreamInbox<String> in = inbox(8);
    fill(in, 0, 2);

    assertThat(in.end(3)).isEqualTo("the end says 3 items were sent, 2 arrived");
    assertThat(in.end(StreamMessage.ABSENT)).isNull();
    assertThat(in.offer(2, "late")).isEqualTo("item 2 after the end of the stream");
  }

  @Test
  void failDeliversTheBufferedItemsFirstAbortDropsThem() throws Exception {
    StreamInbox<String> failed = inbox(8);
    StreamInbox<String> aborted = inbox(8);
    fill(failed, 0, 1);
    fill(aborted, 0, 1);
    IllegalStateException boom = new IllegalStateException("boom");

    failed.fail(boom);
    aborted.abort(boom);

    assertThat(failed.take(null)).isEqualTo("i0");
    assertThatThrownBy(() -> failed.take(null)).isSameAs(boom);
    assertThatThrownBy(() -> aborted.take(null)).isSameAs(boom);
    assertThat(aborted.buffered()).isZero();
    assertThat(aborted.offer(1, "late")).isNull(); // dropped quietly: this side ended it
  }

  @Test
  void theFirstEndWins() throws Exception {
    StreamInbox<String> in = inbox(8);
    in.end(0);

    in.fail(new IllegalStateException("after the end"));

    assertThat(in.take(null)).isNull();
    assertThat(in.isTerminated()).isTrue();
  }

  @Test
  void asyncTakersAreServedInOrderAndCountAsWaiting() {
    StreamInbox<String> in = inbox(8);
    CompletableFuture<String> first = in.takeAsync();
    CompletableFuture<String> second = in.takeAsync();
    CompletableFuture<String> third = in.takeAsync();
    assertThat(waiting).hasValue(3);

    fill(in, 0, 2);
    in.end(2);

    assertThat(first).isCompletedWithValue("i0");
    assertThat(second).isCompletedWithValue("i1");
    assertThat(third).isCompletedWithValue(null);
    assertThat(waiting).hasValue(0);
    assertThat(in.buffered()).isZero();
  }

  @Test
  void pendingAsyncTakersFailWithTheFailure() {
    StreamInbox<String> in = inbox(8);
    CompletableFuture<String> f = in.takeAsync();
    IllegalStateException boom = new IllegalStateException("boom");

    in.fail(boom);

    assertThat(f).isCompletedExceptionally();
    assertThat(f.handle((r, t) -> t).join()).isSameAs(boom);
    assertThat(waiting).hasValue(0);
  }

  @Test
  void aBlockedTakerIsWokenByTheNextItem() throws Exception {
    StreamInbox<String> in = inbox(8);
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return in.take(null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(firstWait.await(10, TimeUnit.SECONDS)).isTrue(); // it waits, so it holds no lock

    in.offer(0, "i0");

    assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("i0");
    assertThat(waiting).hasValue(0);
  }

  @Test
  void aTakeWithAnExpiredDeadlineThrowsDeadlineExceeded() {
    FakeClock clock = new FakeClock();
    Deadline deadline = Deadline.after(Duration.ofMillis(10), clock);
    clock.advance(Duration.ofMillis(10));
    StreamInbox<String> in = inbox(8);

    assertThatThrownBy(() -> in.take(deadline)).isInstanceOf(DeadlineExceededException.class);
    assertThat(waiting).hasValue(0);
  }

  @Test
  void aWindowBelowOneIsRefused() {
    assertThatThrownBy(() -> inbox(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window: 0 (expected: >= 1)");
  }
}

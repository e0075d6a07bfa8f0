package io.keelrpc.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.Deadline;
import io.keelrpc.core.DeadlineExceededException;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.wire.StreamCredit;
import io.keelrpc.core.wire.StreamWaitObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sending end of a stream: it never sends more than the credit it was granted. */
class StreamCreditGateTest {
  private final CountDownLatch waited = new CountDownLatch(1);
  private final StreamCredit credit = new StreamCredit(new StreamWaitObserver() {
    @Override
    public void waiting() {
      waited.countDown();
    }

    @Override
    public void doneWaiting() {}
  });

  @Test
  void eachSendTakesOneCreditAndNoneIsTakenWithout() {
    credit.grant(2);

    assertThat(credit.tryAcquire()).isTrue();
    assertThat(credit.tryAcquire()).isTrue();
    assertThat(credit.tryAcquire()).isFalse();
    assertThat(credit.used()).isEqualTo(2);
    assertThat(credit.grantedTotal()).isEqualTo(2);
    assertThat(credit.isReady()).isFalse();
  }

  @Test
  void grantsAddUpAndNonPositiveGrantsAreIgnored() {
    credit.grant(3);
    credit.grant(0);
    credit.grant(-5);
    credit.grant(4);

    assertThat(credit.available()).isEqualTo(7);
  }

  @Test
  void hugeGrantsSaturateInsteadOfWrapping() {
    credit.grant(Long.MAX_VALUE);
    credit.grant(Long.MAX_VALUE);

    assertThat(credit.available()).isEqualTo(Long.MAX_VALUE);
    assertThat(credit.tryAcquire()).isTrue();
  }

  @Test
  void aBlockedSenderGoesOnWhenCreditIsGranted() throws Exception {
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      try {
        credit.acquire(null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waited.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sender).isNotDone();

    credit.grant(1);

    sender.get(10, TimeUnit.SECONDS);
    assertThat(credit.used()).isEqualTo(1);
  }

  @Test
  void closingWakesABlockedSenderWithTheReason() throws Exception {
    IllegalStateException reason = new IllegalStateException("cancelled");
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      try {
        credit.acquire(null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waited.await(10, TimeUnit.SECONDS)).isTrue();

    credit.close(reason);

    assertThatThrownBy(() -> sender.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCause(reason);
    assertThatThrownBy(credit::tryAcquire).isSameAs(reason);
    assertThat(credit.closedReason()).isSameAs(reason);
  }

  @Test
  void creditGrantedAfterCloseIsIgnoredAndTheFirstReasonWins() {
    IllegalStateException first = new IllegalStateException("first");
    credit.close(first);
    credit.close(new IllegalStateException("second"));
    credit.grant(5);

    assertThat(credit.available()).isZero();
    assertThat(credit.closedReason()).isSameAs(first);
  }

  @Test
  void anExpiredDeadlineEndsTheWaitForCredit() {
    FakeClock clock = new FakeClock();
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);
    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(() -> credit.acquire(deadline))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("credit");
  }

  @Test
  void onReadyRunsOnceWhenCreditComesAndAtOnceWhenReady() {
    AtomicInteger runs = new AtomicInteger();
    credit.onReady(runs::incrementAndGet);
    assertThat(runs).hasValue(0);

    credit.grant(1);
    credit.grant(1);
    assertThat(runs).hasValue(1);

    credit.onReady(runs::incrementAndGet);
    assertThat(runs).hasValue(2);
  }

  @Test
  void onReadyCallbacksRunWhenTheSendingEndCloses() {
    AtomicInteger runs = new AtomicInteger();
    credit.onReady(runs::incrementAndGet);

    credit.close(new IllegalStateException("over"));

    assertThat(runs).hasValue(1);
    assertThat(credit.isReady()).isFalse();
  }
}

package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A {@link Deadline} on virtual time: what is left, when it expires, which is earlier. */
class DeadlineRemainingTimeTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void remainingTimeShrinksAsTheClockAdvances() {
    Deadline d = Deadline.after(Duration.ofMillis(250), clock);

    assertThat(d.timeRemaining()).isEqualTo(Duration.ofMillis(250));
    clock.advance(Duration.ofMillis(100));
    assertThat(d.timeRemaining()).isEqualTo(Duration.ofMillis(150));
    assertThat(d.remainingNanos()).isEqualTo(150_000_000L);
    assertThat(d.isExpired()).isFalse();
  }

  @Test
  void expiresAtExactlyTheDeadlineNotANanosecondBefore() {
    Deadline d = Deadline.after(Duration.ofMillis(250), clock);

    clock.advance(Duration.ofMillis(250).minusNanos(1));
    assertThat(d.isExpired()).isFalse();
    assertThat(d.remainingNanos()).isEqualTo(1);

    clock.advance(Duration.ofNanos(1));
    assertThat(d.isExpired()).isTrue();
    assertThat(d.remainingNanos()).isZero();
    assertThat(d.timeRemaining()).isZero();
  }

  @Test
  void remainingTimeIsNeverNegativeAfterExpiry() {
    Deadline d = Deadline.after(Duration.ofMillis(10), clock);

    clock.advance(Duration.ofSeconds(3));

    assertThat(d.isExpired()).isTrue();
    assertThat(d.remainingNanos()).isEqualTo(-2_990_000_000L);
    assertThat(d.timeRemaining()).isZero();
  }

  @Test
  void zeroOrNegativeTimeoutIsAlreadyExpired() {
    assertThat(Deadline.after(Duration.ZERO, clock).isExpired()).isTrue();
    assertThat(Deadline.after(Duration.ofMillis(-5), clock).isExpired()).isTrue();
    assertThat(Deadline.afterNanos(-1, clock).timeRemaining()).isZero();
  }

  @Test
  void minIsTheEarlierDeadline() {
    Deadline late = Deadline.after(Duration.ofSeconds(2), clock);
    Deadline early = Deadline.after(Duration.ofSeconds(1), clock);

    assertThat(late.min(early)).isSameAs(early);
    assertThat(early.min(late)).isSameAs(early);
    assertThat(early.min(null)).isSameAs(early);
  }

  @Test
  void minOfEqualDeadlinesIsTheReceiver() {
    Deadline a = Deadline.after(Duration.ofSeconds(1), clock);
    Deadline b = Deadline.afterNanos(1_000_000_000L, clock);

    assertThat(a.compareTo(b)).isZero();
    assertThat(a.min(b)).isSameAs(a);
    assertThat(b.min(a)).isSameAs(b);
  }

  @Test
  void deadlinesCreatedLaterCompareByAbsoluteTime() {
    Deadline first = Deadline.after(Duration.ofMillis(500), clock);
    clock.advance(Duration.ofMillis(400));
    Deadline second = Deadline.after(Duration.ofMillis(200), clock);

    assertThat(first).isLessThan(second);
    assertThat(second.min(first)).isSameAs(first);
  }

  @Test
  void describesTheMillisecondsLeft() {
    Deadline d = Deadline.after(Duration.ofMillis(250), clock);
    clock.advance(Duration.ofMillis(50));

    assertThat(d).hasToString("Deadline[200 ms left]");
  }

  @Test
  void tickerIsRequired() {
    assertThatNullPointerException().isThrownBy(() -> Deadline.after(Duration.ofSeconds(1), null))
        .withMessage("ticker");
  }
}

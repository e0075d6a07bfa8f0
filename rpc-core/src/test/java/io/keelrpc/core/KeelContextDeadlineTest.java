package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a {@link KeelContext}'s deadline caps the deadlines of calls started in it. */
class KeelContextDeadlineTest {
  private final FakeClock clock = new FakeClock();

  private KeelContext withSeconds(long seconds) {
    return KeelContext.root().withDeadline(Deadline.after(Duration.ofSeconds(seconds), clock));
  }

  @Test
  void withDeadlineKeepsTheEarlierOfTheTwo() {
    Deadline in1s = Deadline.after(Duration.ofSeconds(1), clock);
    Deadline in5s = Deadline.after(Duration.ofSeconds(5), clock);

    assertThat(KeelContext.root().withDeadline(in5s).withDeadline(in1s).deadline()).contains(in1s);
    assertThat(KeelContext.root().withDeadline(in1s).withDeadline(in5s).deadline()).contains(in1s);
  }

  @Test
  void timeRemainingFollowsTheTicker() {
    KeelContext ctx = withSeconds(2);

    clock.advance(Duration.ofMillis(500));

    assertThat(ctx.timeRemaining()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aLongerCallBudgetIsCappedAtWhatTheContextHasLeft() {
    KeelContext ctx = withSeconds(2);
    clock.advance(Duration.ofMillis(500));

    Deadline call = ctx.deadlineAfter(Duration.ofSeconds(10), clock);

    assertThat(call.remainingNanos()).isEqualTo(Duration.ofMillis(1500).toNanos());
  }

  @Test
  void aShorterCallBudgetIsKept() {
    Deadline call = withSeconds(2).deadlineAfter(Duration.ofMillis(300), clock);

    assertThat(call.remainingNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
  }

  @Test
  void withoutAContextDeadlineTheCallBudgetIsKept() {
    Deadline call = KeelContext.root().deadlineAfter(Duration.ofSeconds(10), clock);

    assertThat(call.remainingNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void aSpentContextGivesAnExpiredCallDeadline() {
    KeelContext ctx = withSeconds(1);
    clock.advance(Duration.ofSeconds(2));

    Deadline call = ctx.deadlineAfter(Duration.ofSeconds(10), clock);

    assertThat(call.isExpired()).isTrue();
    assertThat(ctx.timeRemaining()).isZero();
  }

  @Test
  void theCapWorksAcrossTickersByComparingRemainingTime() {
    KeelContext ctx = withSeconds(2);
    FakeClock other = new FakeClock();
    other.advance(Duration.ofDays(3)); // a different origin: raw tick values are not comparable
    Ticker callTicker = other;

    Deadline call = ctx.deadlineAfter(Duration.ofSeconds(10), callTicker);

    assertThat(call.remainingNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void aHugeCallBudgetDoesNotOverflow() {
    Deadline call = KeelContext.root().deadlineAfter(Duration.ofSeconds(Long.MAX_VALUE), clock);

    assertThat(call.isExpired()).isFalse();
    assertThat(call.remainingNanos()).isPositive();
  }
}

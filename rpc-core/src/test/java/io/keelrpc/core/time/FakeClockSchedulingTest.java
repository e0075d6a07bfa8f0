package io.keelrpc.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared virtual clock: due tasks run in order at their due time, cancelled ones never. */
class FakeClockSchedulingTest {
  private static final long MS = 1_000_000L;

  private final FakeClock clock = new FakeClock();
  private final long start = clock.nanoTime();
  private final List<String> ran = new ArrayList<>();

  /** Schedules a task that records its name and the virtual time it ran at, in ms from start. */
  private Scheduler.Cancellable record(String name, long delayMs) {
    return clock.schedule(() -> ran.add(name + "@" + (clock.nanoTime() - start) / MS),
        delayMs * MS);
  }

  @Test
  void advancingRunsDueTasksInDueOrderAtTheirDueTime() {
    record("c", 30);
    record("a", 10);
    record("b", 20);

    clock.advance(Duration.ofMillis(25));

    assertThat(ran).containsExactly("a@10", "b@20");
    assertThat(clock.nanoTime() - start).isEqualTo(25 * MS);
    assertThat(clock.pendingDelays()).containsExactly(Duration.ofMillis(5));

    clock.advance(Duration.ofMillis(5));

    assertThat(ran).containsExactly("a@10", "b@20", "c@30");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void tasksDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
    record("first", 10);
    record("second", 10);
    record("third", 10);

    clock.advance(Duration.ofMillis(10));

    assertThat(ran).containsExactly("first@10", "second@10", "third@10");
  }

  @Test
  void taskDueOneNanosecondAfterTheTargetDoesNotRun() {
    clock.schedule(() -> ran.add("late"), 10 * MS + 1);

    clock.advance(Duration.ofMillis(10));
    assertThat(ran).isEmpty();

    clock.advance(Duration.ofNanos(1));
    assertThat(ran).containsExactly("late");
  }

  @Test
  void cancelledTaskDoesNotRun() {
    Scheduler.Cancellable handle = record("cancelled", 10);
    record("kept", 20);

    assertThat(handle.cancel()).isTrue();
    clock.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("kept@20");
    assertThat(handle.cancel()).as("second cancel prevents nothing").isFalse();
  }

  @Test
  void cancellingATaskThatAlreadyRanReportsFalse() {
    Scheduler.Cancellable handle = record("a", 10);

    clock.advance(Duration.ofMillis(10));

    assertThat(handle.cancel()).isFalse();
    assertThat(ran).containsExactly("a@10");
  }

  @Test
  void taskScheduledByARunningTaskRunsInTheSameAdvanceIfDue() {
    clock.schedule(() -> {
      ran.add("outer@" + (clock.nanoTime() - start) / MS);
      record("inner", 5);
    }, 10 * MS);

    clock.advance(Duration.ofMillis(20));

    assertThat(ran).containsExactly("outer@10", "inner@15");
  }

  @Test
  void zeroAndNegativeDelaysRunOnRunDueTasksWithoutMovingTime() {
    record("zero", 0);
    clock.schedule(() -> ran.add("negative"), -5 * MS);
    assertThat(clock.pendingDelays()).containsExactly(Duration.ZERO, Duration.ZERO);

    clock.runDueTasks();

    assertThat(ran).containsExactly("zero@0", "negative");
    assertThat(clock.nanoTime()).isEqualTo(start);
  }

  @Test
  void timeStandsStillUntilAdvanced() {
    record("a", 1);

    assertThat(clock.nanoTime()).isEqualTo(start);
    assertThat(clock.nanoTime()).isEqualTo(start);
    assertThat(ran).isEmpty();
    assertThat(clock.pendingTasks()).isEqualTo(1);
  }

  @Test
  void advancingBackwardsIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> clock.advance(Duration.ofMillis(-1)));

    assertThat(clock.nanoTime()).isEqualTo(start);
  }
}

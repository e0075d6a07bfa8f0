package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ResumableStreamWindowOverflowTest {
  private final ResumeFixture f = new ResumeFixture();

  @Test
  void itemBeyondTheWindowEndsTheConnectionAndTheNextResumesFromTheGap() {
    ResumableStream<String> stream = f.start(f.builder().window(4));
    ScriptedSource.Conn first = f.source.last();
    first.send(0, 2, 3, 4);                         // 1 missing: 1..4 fit
    assertThat(first.closed()).isFalse();

    first.send(5);                                  // 5 - 1 >= 4: overflow

    assertThat(first.closed()).isTrue();
    assertThat(stream.stats().windowOverflows()).isEqualTo(1);
    assertThat(f.deliver()).containsExactly(0L);
    assertThat(f.clock.pendingDelays()).as("reconnect only, gap timer cancelled")
        .containsExactly(Duration.ofMillis(100));

    f.clock.advance(Duration.ofMillis(100));
    ScriptedSource.Conn second = f.source.last();
    assertThat(second.fromSeq).isEqualTo(1);
    second.sendRange(1, 6);

    assertThat(f.deliver()).isEqualTo(range(0, 6));
    assertThat(stream.stats().duplicatesDropped()).as("2..4 were held").isEqualTo(3);
    assertThat(stream.stats().reconnects()).isEqualTo(1);
    assertThat(f.mismatched).isEmpty();
  }

  @Test
  void lastNumberOfTheWindowIsHeldAndTheOneAfterOverflows() {
    ResumableStream<String> stream = f.start(f.builder().window(4));
    f.source.last().send(3);
    assertThat(stream.stats().reordered()).isEqualTo(1);
    assertThat(stream.stats().windowOverflows()).isZero();

    f.source.last().send(4);

    assertThat(stream.stats().windowOverflows()).isEqualTo(1);
    assertThat(f.source.last().closed()).isTrue();
  }

  @Test
  void windowOfOneAcceptsOnlyTheNextNumber() {
    ResumableStream<String> stream = f.start(f.builder().window(1));
    f.source.last().send(0, 1, 3);

    assertThat(f.deliver()).containsExactly(0L, 1L);
    assertThat(stream.stats().windowOverflows()).isEqualTo(1);
    assertThat(stream.stats().reordered()).isZero();
  }

  @Test
  void overflowsInARowCountTowardGivingUp() {
    ResumableStream<String> stream = f.start(f.builder().window(4)
        .reconnectBackoff(ResumeFixture.BACKOFF.toBuilder().maxAttempts(2).build()));
    f.source.last().send(9);
    f.clock.advance(Duration.ofMillis(100));

    f.source.last().send(9);
    f.clock.runDueTasks();

    assertThat(stream.done()).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(ReconnectsExhaustedException.class, e -> {
          assertThat(e.reconnects()).isEqualTo(1);
          assertThat(e.resumeSeq()).isZero();
          assertThat(e).hasNoCause();
        });
    assertThat(stream.stats().windowOverflows()).isEqualTo(2);
    assertThat(f.clock.pendingTasks()).isZero();
  }
}

package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ResumableStreamReconnectTest {
  private final ResumeFixture f = new ResumeFixture();

  @Test
  void failureReconnectsAfterTheBackoffFromTheLastDeliveredPlusOne() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn first = f.source.last();
    first.send(0, 1, 2);
    f.deliver();

    first.fail(new IOException("reset"));

    assertThat(first.closed()).isTrue();
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(99));
    assertThat(f.source.opens()).isEqualTo(1);
    f.clock.advance(Duration.ofMillis(1));
    assertThat(f.source.opens()).isEqualTo(2);
    assertThat(f.source.last().fromSeq).isEqualTo(3);

    f.source.last().send(3, 4);
    assertThat(f.deliver()).isEqualTo(range(0, 4));
    assertThat(stream.stats().reconnects()).isEqualTo(1);
  }

  @Test
  void backoffGrowsWhileConnectionsDeliverNothingNew() {
    f.start();
    f.source.last().send(0);
    f.deliver();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      f.source.last().send(0);                    // a duplicate is no progress
      f.source.last().fail(new IOException("reset " + i));
      waits.addAll(f.clock.pendingDelays());
      f.clock.advance(waits.get(waits.size() - 1));
    }

    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofSeconds(1),
        Duration.ofSeconds(1));
    assertThat(f.source.opened()).extracting(c -> c.fromSeq).containsOnly(0L, 1L);
    assertThat(f.source.last().fromSeq).isEqualTo(1);
  }

  @Test
  void backoffStartsOverOnceAConnectionDeliversANewItem() {
    f.start();
    f.source.last().fail(new IOException("reset"));
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(100));
    f.source.last().fail(new IOException("reset"));
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(200));
    f.clock.advance(Duration.ofMillis(200));

    f.source.last().send(0);
    f.source.last().fail(new IOException("reset"));

    f.clock.runDueTasks();
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void jitterDrawsFromTheInjectedRandom() {
    RetryPolicy fullJitter = ResumeFixture.BACKOFF.toBuilder().jitter(Jitter.full()).build();
    double[] draws = {0.25, 0.5, 0.75};
    int[] i = {0};
    f.start(f.builder().reconnectBackoff(fullJitter).random(() -> draws[i[0]++]));

    List<Duration> waits = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      f.source.last().fail(new IOException("reset"));
      waits.addAll(f.clock.pendingDelays());
      f.clock.advance(waits.get(n));
    }

    // full jitter: base * u, bases 100, 200, 400 ms
    assertThat(waits).containsExactly(Duration.ofMillis(25), Duration.ofMillis(100),
        Duration.ofMillis(300));
  }

  @Test
  void openThatThrowsIsRetriedAfterTheBackoff() {
    f.source.failNextOpen(new IllegalStateException("no route"));
    ResumableStream<String> stream = f.start();

    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(100));
    assertThat(f.source.opens()).isEqualTo(2);
    f.source.last().send(0);
    assertThat(f.deliver()).containsExactly(0L);
    assertThat(stream.stats().reconnects()).isEqualTo(1);
  }

  @Test
  void failureReportedInsideOpenClosesTheReturnedHandleAndReconnects() {
    f.source.failInsideNextOpen();
    f.start();

    assertThat(f.source.last().closed()).isTrue();
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(100));
    assertThat(f.source.opens()).isEqualTo(2);
    assertThat(f.source.last().closed()).isFalse();
  }

  @Test
  void callbacksOfAnEndedConnectionAreIgnored() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn first = f.source.last();
    first.fail(new IOException("reset"));

    first.send(0, 1);
    first.fail(new IOException("again"));

    assertThat(f.clock.pendingDelays()).as("one reconnect only").hasSize(1);
    f.clock.advance(Duration.ofMillis(100));
    first.send(0);
    assertThat(f.deliver()).isEmpty();
    assertThat(stream.stats().duplicatesDropped()).isZero();
    assertThat(f.source.opens()).isEqualTo(2);
  }

  @Test
  void heldItemsSurviveAReconnectAndHolesGetAFreshGapTimeout() {
    f.start();
    ScriptedSource.Conn first = f.source.last();
    first.send(0, 2, 3);                            // hole 1, due at t=100
    f.clock.advance(Duration.ofMillis(50));
    first.fail(new IOException("reset"));           // reconnect at t=150

    f.clock.advance(Duration.ofMillis(100));
    ScriptedSource.Conn second = f.source.last();
    assertThat(second.fromSeq).isEqualTo(1);
    f.clock.advance(Duration.ofMillis(99));
    assertThat(first.retransmits).isEmpty();
    assertThat(second.retransmits).as("the new connection resends first").isEmpty();

    f.clock.advance(Duration.ofMillis(1));          // t=250
    assertThat(second.retransmits).containsExactly(List.of(1L, 1L));

    second.send(1);
    assertThat(f.deliver()).isEqualTo(range(0, 3));
  }

  @Test
  void givesUpWhenMaxAttemptsConnectionsInARowDeliverNothing() {
    ResumableStream<String> stream = f.start(f.builder()
        .reconnectBackoff(ResumeFixture.BACKOFF.toBuilder().maxAttempts(3).build()));
    f.source.last().send(0, 1);
    f.deliver();
    CompletableFuture<Void> done = stream.done();

    f.source.last().fail(new IOException("reset 1"));
    f.clock.advance(Duration.ofMillis(100));
    f.source.last().fail(new IOException("reset 2"));
    f.clock.advance(Duration.ofMillis(200));
    assertThat(done).isNotDone();
    f.source.last().fail(new IOException("reset 3"));
    f.clock.runDueTasks();

    assertThat(done).isCompletedExceptionally();
    assertThatDoneFailed(done, 2, 2, "reset 3");
    assertThat(f.source.opens()).isEqualTo(3);
    assertThat(f.source.opened()).allMatch(ScriptedSource.Conn::closed);
    assertThat(f.clock.pendingTasks()).isZero();
  }

  @Test
  void noRetriesNeverReconnects() {
    ResumableStream<String> stream =
        f.start(f.builder().reconnectBackoff(RetryPolicy.noRetries()));
    f.source.last().send(0);

    f.source.last().fail(new IOException("reset"));
    f.clock.advance(Duration.ofSeconds(10));

    assertThat(f.received).containsExactly(0L);
    assertThatDoneFailed(stream.done(), 0, 1, "reset");
    assertThat(f.source.opens()).isEqualTo(1);
  }

  private static void assertThatDoneFailed(CompletableFuture<Void> done, int reconnects,
      long resumeSeq, String causeMessage) {
    assertThat(done).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(ReconnectsExhaustedException.class, e -> {
          assertThat(e.reconnects()).isEqualTo(reconnects);
          assertThat(e.resumeSeq()).isEqualTo(resumeSeq);
          assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage(causeMessage);
        });
  }
}

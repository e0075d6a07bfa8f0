package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ResumableStreamDeliveryTest {
  private final ResumeFixture f = new ResumeFixture();
  /** An executor the test runs by hand. */
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Executor manual = tasks::add;

  private void runTasks() {
    while (!tasks.isEmpty()) {
      tasks.poll().run();
    }
  }

  @Test
  void consumerRunsOnTheGivenExecutorWithOneDrainTaskAtATime() {
    f.start(f.builder().executor(manual));
    f.source.last().sendRange(0, 99);

    assertThat(tasks).hasSize(1);
    assertThat(f.received).isEmpty();
    assertThat(f.clock.pendingTasks()).as("nothing delivered through the scheduler").isZero();

    runTasks();
    assertThat(f.received).isEqualTo(range(0, 99));
  }

  @Test
  void aLargeBacklogIsDeliveredInBatchesThatRequeueThemselves() {
    f.start(f.builder().window(1024).executor(manual));
    f.source.last().sendRange(0, 999);

    tasks.poll().run();
    assertThat(f.received).hasSize(256);
    assertThat(tasks).as("the rest queued again").hasSize(1);

    runTasks();
    assertThat(f.received).isEqualTo(range(0, 999));
  }

  @Test
  void directExecutorDeliversOnTheSourcesThread() {
    f.start(f.builder().executor(Runnable::run));

    f.source.last().send(1, 0);

    assertThat(f.received).containsExactly(0L, 1L);
  }

  @Test
  void consumerThatThrowsEndsTheStream() {
    IllegalStateException boom = new IllegalStateException("boom");
    ResumableStream<String> stream = f.builder().start(s -> {
      f.record(s);
      if (s.seq() == 1) {
        throw boom;
      }
    });
    CompletableFuture<Void> done = stream.done();

    f.source.last().sendRange(0, 3);
    f.clock.runDueTasks();

    assertThat(f.received).containsExactly(0L, 1L);
    assertThat(done).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .withCause(boom);
    assertThat(f.source.last().closed()).isTrue();
    assertThat(f.clock.pendingTasks()).isZero();
    f.source.last().send(4);
    f.clock.runDueTasks();
    assertThat(f.received).containsExactly(0L, 1L);
  }

  @Test
  void executorThatRefusesEndsTheStream() {
    ResumableStream<String> stream = f.start(f.builder().executor(r -> {
      throw new RejectedExecutionException("shut down");
    }));

    f.source.last().send(0);

    assertThat(stream.done()).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
    assertThat(f.source.last().closed()).isTrue();
  }

  @Test
  void givingUpDeliversWhatWasReleasedBeforeFailing() {
    ResumableStream<String> stream =
        f.start(f.builder().executor(manual).reconnectBackoff(RetryPolicy.noRetries()));
    CompletableFuture<Void> done = stream.done();
    f.source.last().send(0, 1);

    f.source.last().fail(new IOException("reset"));
    assertThat(done).isNotDone();

    runTasks();
    assertThat(f.received).containsExactly(0L, 1L);
    assertThat(done).isCompletedExceptionally();
  }
}

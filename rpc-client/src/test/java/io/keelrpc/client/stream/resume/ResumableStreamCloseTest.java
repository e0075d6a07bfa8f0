package io.keelrpc.client.stream.resume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ResumableStreamCloseTest {
  private final ResumeFixture f = new ResumeFixture();

  @Test
  void closeClosesTheSourceCancelsTimersAndDropsUndeliveredItems() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 1, 3);                                // 0, 1 queued for the consumer; 3 held
    assertThat(f.clock.pendingTasks()).as("a delivery and the gap timer").isEqualTo(2);
    CompletableFuture<Void> done = stream.done();

    stream.close();

    assertThat(c.closed()).isTrue();
    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(done).isCompleted().isNotCompletedExceptionally();
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(f.received).isEmpty();
    assertThat(c.retransmits).isEmpty();
  }

  @Test
  void callbacksAfterCloseAreIgnored() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    stream.close();

    c.send(0, 1, 5);
    c.fail(new IOException("reset"));

    assertThat(f.clock.pendingTasks()).isZero();
    assertThat(f.deliver()).isEmpty();
    assertThat(stream.stats()).isEqualTo(new ResumableStreamStats(0, 0, 0, 0, 0, 0));
    assertThat(f.source.opens()).isEqualTo(1);
  }

  @Test
  void closeDuringTheReconnectWaitCancelsTheReconnect() {
    ResumableStream<String> stream = f.start();
    f.source.last().fail(new IOException("reset"));
    assertThat(f.clock.pendingTasks()).isEqualTo(1);

    stream.close();

    assertThat(f.clock.pendingTasks()).isZero();
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(f.source.opens()).isEqualTo(1);
  }

  @Test
  void closeFromTheConsumerStopsFurtherDeliveries() {
    AtomicReference<ResumableStream<String>> self = new AtomicReference<>();
    self.set(f.builder().start(s -> {
      f.record(s);
      if (s.seq() == 2) {
        self.get().close();
      }
    }));
    ScriptedSource.Conn c = f.source.last();

    c.sendRange(0, 5);

    assertThat(f.deliver()).containsExactly(0L, 1L, 2L);
    assertThat(c.closed()).isTrue();
    assertThat(f.clock.pendingTasks()).isZero();
  }

  @Test
  void closeIsIdempotentAndClosesTheHandleOnce() {
    int[] closes = {0};
    SequencedSource<String> source = (from, onItem, onFailure) -> new SequencedSource.Handle() {
      @Override
      public void requestRetransmit(long fromSeq, long toSeq) {}

      @Override
      public void close() {
        closes[0]++;
      }
    };
    ResumableStream<String> stream = ResumableStream.builder(source)
        .ticker(f.clock).scheduler(f.clock).start(f::record);

    stream.close();
    stream.close();

    assertThat(closes[0]).isEqualTo(1);
    assertThat(stream.done()).isCompleted();
  }

  @Test
  void tryWithResourcesClosesTheStream() {
    ScriptedSource.Conn c;
    try (ResumableStream<String> stream = f.start()) {
      c = f.source.last();
      c.send(0);
      assertThat(stream.nextSeq()).isEqualTo(1);
    }

    assertThat(c.closed()).isTrue();
    assertThat(f.clock.pendingTasks()).isZero();
  }
}

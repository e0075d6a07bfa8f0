package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumableStreamGapTest {
  private final ResumeFixture f = new ResumeFixture();

  @Test
  void gapIsRequestedOnlyOnceTheGapTimeoutHasPassed() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 2, 3);
    assertThat(f.deliver()).containsExactly(0L);
    assertThat(f.clock.pendingDelays()).containsExactly(Duration.ofMillis(100));

    f.clock.advance(Duration.ofMillis(99));
    assertThat(c.retransmits).isEmpty();

    f.clock.advance(Duration.ofMillis(1));
    assertThat(c.retransmits).containsExactly(List.of(1L, 1L));
    assertThat(stream.stats().retransmitsRequested()).isEqualTo(1);
  }

  @Test
  void requestIsRepeatedWhileTheGapPersistsAndStopsWhenItFills() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 2, 3);
    f.clock.advance(Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(100));
    assertThat(c.retransmits).containsExactly(List.of(1L, 1L), List.of(1L, 1L));

    c.send(1);

    assertThat(f.deliver()).isEqualTo(range(0, 3));
    assertThat(f.clock.pendingTasks()).as("gap timer cancelled").isZero();
    assertThat(stream.stats().retransmitsRequested()).isEqualTo(2);
  }

  @Test
  void separateHolesAreRequestedAsSeparateRanges() {
    f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 3, 6, 7);

    f.clock.advance(Duration.ofMillis(100));

    assertThat(c.retransmits).containsExactly(List.of(1L, 2L), List.of(4L, 5L));
  }

  @Test
  void eachHoleWaitsItsOwnGapTimeoutFromWhenItWasRevealed() {
    f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 2);                                   // hole 1 revealed at t=0
    f.clock.advance(Duration.ofMillis(50));
    c.send(5);                                      // holes 3..4 revealed at t=50

    f.clock.advance(Duration.ofMillis(50));         // t=100
    assertThat(c.retransmits).containsExactly(List.of(1L, 1L));

    f.clock.advance(Duration.ofMillis(50));         // t=150
    assertThat(c.retransmits).containsExactly(List.of(1L, 1L), List.of(3L, 4L));

    f.clock.advance(Duration.ofMillis(50));         // t=200: hole 1 asked again
    assertThat(c.retransmits)
        .containsExactly(List.of(1L, 1L), List.of(3L, 4L), List.of(1L, 1L));
  }

  @Test
  void itemThatIsOnlyLateIsNotRequested() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 2);
    f.clock.advance(Duration.ofMillis(99));
    c.send(1);

    f.clock.advance(Duration.ofSeconds(1));

    assertThat(f.received).isEqualTo(range(0, 2));
    assertThat(c.retransmits).isEmpty();
    assertThat(stream.stats().retransmitsRequested()).isZero();
    assertThat(f.clock.pendingTasks()).isZero();
  }

  @Test
  void retransmittedItemsFillTheGapExactlyOnce() {
    ResumableStream<String> stream = f.start();
    ScriptedSource.Conn c = f.source.last();
    c.send(0, 3, 4);
    f.clock.advance(Duration.ofMillis(100));
    assertThat(c.retransmits).containsExactly(List.of(1L, 2L));

    c.send(1, 2, 1, 2);                             // the retransmission, arriving twice

    assertThat(f.deliver()).isEqualTo(range(0, 4));
    assertThat(stream.stats().duplicatesDropped()).isEqualTo(2);
  }

  @Test
  void requestThatThrowsCountsAsAConnectionFailure() {
    SequencedSource<String> throwing = (from, onItem, onFailure) -> {
      onItem.accept(new Sequenced<>(from + 1, "item-" + (from + 1)));
      return new SequencedSource.Handle() {
        @Override
        public void requestRetransmit(long fromSeq, long toSeq) {
          throw new IllegalStateException("connection is gone");
        }

        @Override
        public void close() {}
      };
    };
    ResumableStream<String> stream = ResumableStream.builder(throwing)
        .gapTimeout(ResumeFixture.GAP)
        .reconnectBackoff(ResumeFixture.BACKOFF)
        .ticker(f.clock)
        .scheduler(f.clock)
        .start(f::record);

    f.clock.advance(Duration.ofMillis(100));

    assertThat(f.clock.pendingDelays()).as("reconnect backoff").containsExactly(
        Duration.ofMillis(100));
    f.clock.advance(Duration.ofMillis(100));
    assertThat(stream.stats().reconnects()).isEqualTo(1);
    stream.close();
  }
}

package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResumableStreamOrderingTest {
  private final ResumeFixture f = new ResumeFixture();

  @Test
  void inOrderItemsAreDeliveredAsSchedulerTasks() {
    ResumableStream<String> stream = f.start();
    assertThat(f.source.opens()).isEqualTo(1);
    assertThat(f.source.last().fromSeq).isZero();

    f.source.last().send(0, 1, 2);
    assertThat(f.received).as("delivered on the scheduler, not on the source's thread").isEmpty();

    assertThat(f.deliver()).containsExactly(0L, 1L, 2L);
    assertThat(f.mismatched).isEmpty();
    assertThat(stream.nextSeq()).isEqualTo(3);
    assertThat(stream.stats()).isEqualTo(new ResumableStreamStats(3, 0, 0, 0, 0, 0));
  }

  @Test
  void duplicatesAreDroppedAndCounted() {
    ResumableStream<String> stream = f.start();
    f.source.last().send(0, 1, 1, 0, 2, 2);

    assertThat(f.deliver()).containsExactly(0L, 1L, 2L);
    assertThat(stream.stats().duplicatesDropped()).isEqualTo(3);
    assertThat(stream.stats().delivered()).isEqualTo(3);
  }

  @Test
  void earlyItemsAreHeldUntilTheGapFills() {
    ResumableStream<String> stream = f.start();
    f.source.last().send(2, 1, 3);
    assertThat(f.deliver()).isEmpty();
    assertThat(stream.nextSeq()).isZero();

    f.source.last().send(0);

    assertThat(f.deliver()).containsExactly(0L, 1L, 2L, 3L);
    assertThat(stream.stats().reordered()).isEqualTo(3);
    assertThat(stream.stats().duplicatesDropped()).isZero();
  }

  @Test
  void secondCopyOfAHeldItemIsADuplicate() {
    ResumableStream<String> stream = f.start();
    f.source.last().send(2, 2, 0, 1, 2);

    assertThat(f.deliver()).containsExactly(0L, 1L, 2L);
    assertThat(stream.stats().duplicatesDropped()).isEqualTo(2);
    assertThat(stream.stats().reordered()).isEqualTo(1);
  }

  @Test
  void fromSeqOpensThereAndDropsOlderItems() {
    ResumableStream<String> stream = f.start(f.builder().fromSeq(5));
    assertThat(f.source.last().fromSeq).isEqualTo(5);

    f.source.last().send(3, 4, 5, 6);

    assertThat(f.deliver()).containsExactly(5L, 6L);
    assertThat(stream.stats().duplicatesDropped()).isEqualTo(2);
  }

  @Test
  void aLongBurstIsDeliveredCompletelyAndInOrder() {
    f.start(f.builder().window(1024));
    // reversed blocks of 100: each block is held until its first number arrives last
    for (long block = 0; block < 50; block++) {
      for (long s = block * 100 + 99; s >= block * 100; s--) {
        f.source.last().send(s);
      }
    }

    assertThat(f.deliver()).isEqualTo(range(0, 4999));
    assertThat(f.mismatched).isEmpty();
  }
}

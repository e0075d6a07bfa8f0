package io.keelrpc.client.stream.resume;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.fault.Delay;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every item exactly once and in order over a {@link LossyFeed} whose faults come from the
 * library's seeded {@link FaultInjector}: 2% lost, 2% duplicated, 10% delayed by up to 20 ms
 * (reordered), one connection in 5 000 items reset, one open in 5 refused, 2% of retransmit
 * requests lost. The feed sends one item per millisecond; each run goes on until 100 000 items
 * are delivered.
 */
class ResumableStreamLossyNetworkTest {
  private static final int ITEMS = 100_000;

  private static FaultInjector faults(long seed) {
    return FaultInjector.builder()
        .seed(seed)
        .forMethod("feed.item", FaultRule.builder()
            .dropResponse(0.02)
            .duplicateRequest(0.02)
            .delay(0.10, Delay.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
            .disconnect(0.0002)
            .build())
        .forMethod("feed.open", FaultRule.builder().dropRequest(0.2).build())
        .forMethod("feed.retransmit", FaultRule.builder().dropRequest(0.02).build())
        .build();
  }

  /**
   * With a wide window the losses are repaired by retransmission; with a narrow one (16 items,
   * less than a gap timeout's worth) mostly by window overflows and reconnects. Both must deliver
   * the same: every item once, in order.
   */
  @ParameterizedTest(name = "seed {0}, window {1}")
  @CsvSource({"1, 256", "2, 256", "3, 256", "42, 64", "7, 16"})
  void everyItemIsDeliveredExactlyOnceInOrder(long seed, int window) {
    FakeClock clock = new FakeClock();
    LossyFeed feed = new LossyFeed(clock, faults(seed), Duration.ofMillis(1),
        Duration.ofMillis(1));
    Random random = new Random(seed);
    List<Long> received = new ArrayList<>(ITEMS + 1_000);
    List<Sequenced<String>> mismatched = new ArrayList<>();
    ResumableStream<String> stream = ResumableStream.builder(feed)
        .window(window)
        .gapTimeout(Duration.ofMillis(30))
        .reconnectBackoff(RetryPolicy.builder()
            .maxAttempts(Integer.MAX_VALUE)
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofSeconds(2))
            .jitter(Jitter.equal())
            .build())
        .ticker(clock)
        .scheduler(clock)
        .random(random::nextDouble)
        .start(s -> {
          received.add(s.seq());
          if (!("item-" + s.seq()).equals(s.item())) {
            mismatched.add(s);
          }
        });

    Duration limit = Duration.ofHours(2);
    long deadline = clock.nanoTime() + limit.toNanos();
    while (received.size() < ITEMS && clock.nanoTime() < deadline) {
      clock.advance(Duration.ofMillis(100));
    }

    assertThat(received).as("delivered within %s of virtual time", limit)
        .hasSizeGreaterThanOrEqualTo(ITEMS);
    for (int i = 0; i < received.size(); i++) {
      if (received.get(i) != i) {
        assertThat(received.get(i)).as("item at position %d", i).isEqualTo((long) i);
      }
    }
    assertThat(mismatched).isEmpty();
    assertThat(stream.nextSeq()).isEqualTo(received.size());

    ResumableStreamStats stats = stream.stats();
    assertThat(stats.delivered()).isEqualTo(received.size());
    assertThat(feed.lost).as("the network lost items").isPositive();
    assertThat(feed.duplicated).as("the network duplicated items").isPositive();
    assertThat(feed.delayed).as("the network reordered items").isPositive();
    assertThat(feed.disconnects).as("the network reset connections").isPositive();
    assertThat(feed.failedOpens).as("the network refused connections").isPositive();
    assertThat(stats.duplicatesDropped()).isPositive();
    assertThat(stats.reordered()).isPositive();
    assertThat(stats.reconnects()).isPositive();
    if (window >= 64) {
      assertThat(stats.retransmitsRequested()).isPositive();
    } else {
      assertThat(stats.windowOverflows()).isPositive();
    }

    stream.close();
    assertThat(clock.pendingTasks()).as("nothing left on the clock after close").isZero();
  }
}

package io.keelrpc.client.stream.resume;

import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream on virtual time over a {@link ScriptedSource}: window 8, gap timeout 100 ms,
 * reconnects 100 ms doubling to 1 s without jitter and without limit, deliveries on the fake
 * clock (run them with {@code clock.runDueTasks()}).
 */
final class ResumeFixture {
  static final Duration GAP = Duration.ofMillis(100);
  static final RetryPolicy BACKOFF = RetryPolicy.builder()
      .maxAttempts(Integer.MAX_VALUE)
      .initialBackoff(Duration.ofMillis(100))
      .multiplier(2.0)
      .maxBackoff(Duration.ofSeconds(1))
      .jitter(Jitter.none())
      .build();

  final FakeClock clock = new FakeClock();
  final ScriptedSource source = new ScriptedSource();
  /** Sequence numbers the consumer received, in order. */
  final List<Long> received = new ArrayList<>();
  /** Items whose payload did not match their number. */
  final List<Sequenced<String>> mismatched = new ArrayList<>();

  ResumableStream.Builder<String> builder() {
    return ResumableStream.builder(source)
        .window(8)
        .gapTimeout(GAP)
        .reconnectBackoff(BACKOFF)
        .ticker(clock)
        .scheduler(clock)
        .random(() -> 0.5);
  }

  ResumableStream<String> start() {
    return start(builder());
  }

  ResumableStream<String> start(ResumableStream.Builder<String> b) {
    return b.start(this::record);
  }

  void record(Sequenced<String> s) {
    received.add(s.seq());
    if (!("item-" + s.seq()).equals(s.item())) {
      mismatched.add(s);
    }
  }

  /** Runs what is due now (deliveries) and returns the numbers received so far. */
  List<Long> deliver() {
    clock.runDueTasks();
    return received;
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(s);
    }
    return out;
  }
}

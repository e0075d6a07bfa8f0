package io.keelrpc.client.stream.resume;

import static io.keelrpc.client.stream.resume.ResumeFixture.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ResumableStreamConcurrencyTest {
  private static final int ITEMS = 20_000;
  private static final int THREADS = 4;

  @Test
  void itemsFromSeveralThreadsAtOnceAreDeliveredOnceInOrderWithoutConcurrentConsumerCalls()
      throws InterruptedException {
    ResumeFixture f = new ResumeFixture();
    List<Consumer<Sequenced<String>>> sinks = new ArrayList<>();
    SequencedSource<String> source = (from, onItem, onFailure) -> {
      sinks.add(onItem);
      return new ScriptedSource.Conn(from, onItem, onFailure);
    };
    AtomicInteger inConsumer = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Long> received = new ArrayList<>();
    ResumableStream<String> stream = ResumableStream.builder(source)
        .window(ITEMS)
        .ticker(f.clock)
        .scheduler(f.clock)                         // gap timers: never advanced here
        .executor(Runnable::run)                    // delivered on the sending threads
        .start(s -> {
          if (inConsumer.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
          }
          received.add(s.seq());
          inConsumer.decrementAndGet();
        });
    Consumer<Sequenced<String>> sink = sinks.get(0);

    // every thread sends every item, in its own shuffled blocks: duplicates and reordering
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      List<Long> order = range(0, ITEMS - 1);
      Random random = new Random(t);
      for (int b = 0; b < ITEMS; b += 100) {
        Collections.shuffle(order.subList(b, b + 100), random);
      }
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (long s : order) {
          sink.accept(new Sequenced<>(s, "item-" + s));
        }
      }, "sender-" + t);
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(received).isEqualTo(range(0, ITEMS - 1)); // join() orders these reads after
    assertThat(overlaps).hasValue(0);
    ResumableStreamStats stats = stream.stats();
    assertThat(stats.delivered()).isEqualTo(ITEMS);
    assertThat(stats.duplicatesDropped()).isEqualTo((long) ITEMS * (THREADS - 1));
    stream.close();
    assertThat(f.clock.pendingTasks()).isZero();
  }
}

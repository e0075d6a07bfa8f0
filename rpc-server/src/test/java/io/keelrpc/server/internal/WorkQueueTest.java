package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.server.KeelServer.QueueOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker queue's two orders, alone and behind a real thread pool. */
class WorkQueueTest {
  private static Runnable task(List<Integer> ran, int n) {
    return () -> ran.add(n);
  }

  @Test
  void fifoTakesInArrivalOrder() throws InterruptedException {
    BlockingQueue<Runnable> q = WorkQueue.create(QueueOrder.FIFO, 1);
    List<Integer> ran = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      q.offer(task(ran, i));
    }
    while (!q.isEmpty()) {
      q.take().run();
    }
    assertThat(ran).containsExactly(1, 2, 3, 4);
  }

  @Test
  void adaptiveLifoTakesTheNewestWhileMoreThanTheBoundWait() throws InterruptedException {
    BlockingQueue<Runnable> q = WorkQueue.create(QueueOrder.ADAPTIVE_LIFO, 2);
    List<Integer> ran = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      q.offer(task(ran, i));
    }
    q.take().run(); // 5 wait: newest
    q.poll().run(); // 4 wait: newest
    q.poll(1, TimeUnit.SECONDS).run(); // 3 wait: newest
    q.take().run(); // 2 wait, not more than the bound: oldest
    q.take().run();
    assertThat(ran).containsExactly(5, 4, 3, 1, 2);
  }

  @Test
  void aSingleWorkerPoolRunsTheFreshestCallsFirstUnderAStandingQueue()
      throws InterruptedException {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        WorkQueue.create(QueueOrder.ADAPTIVE_LIFO, 2));
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(5);
      List<Integer> ran = new ArrayList<>();
      pool.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (int i = 1; i <= 5; i++) {
        int n = i;
        pool.execute(() -> {
          ran.add(n);
          done.countDown();
        });
      }
      release.countDown();

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).containsExactly(5, 4, 3, 1, 2);
    } finally {
      pool.shutdownNow();
    }
  }
}

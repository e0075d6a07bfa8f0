package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.service.Idempotent;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Idempotent} over real sockets: an attempt that times out is retried for a marked method
 * and not for an unmarked one. The server's first execution of each method hangs; later ones
 * answer at once (deduplication is off, so a retry runs again).
 */
class KeelClientProxyRetryTest {
  /** The service: each method answers how many times it has started. */
  public interface HangsOnceApi {
    @Idempotent
    int marked();

    int unmarked();
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger markedRuns = new AtomicInteger();
  private final AtomicInteger unmarkedRuns = new AtomicInteger();
  private KeelServer server;
  private KeelClient client;

  @BeforeEach
  void start() {
    HangsOnceApi impl = new HangsOnceApi() {
      @Override
      public int marked() {
        return run(markedRuns);
      }

      @Override
      public int unmarked() {
        return run(unmarkedRuns);
      }
    };
    server = KeelServer.builder().port(0).ioThreads(1).workerThreads(2).idempotency(false)
        .shutdownGracePeriod(Duration.ofSeconds(2))
        .export(HangsOnceApi.class, impl)
        .start();
    client = KeelClient.builder().endpoint("127.0.0.1", server.port())
        .perAttemptTimeout(Duration.ofMillis(200))
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1))
            .jitter(Jitter.none()).build())
        .build();
  }

  private int run(AtomicInteger runs) {
    int n = runs.incrementAndGet();
    if (n == 1) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return n;
  }

  @AfterEach
  void stop() {
    release.countDown();
    client.close();
    server.close();
  }

  @Test
  void markedMethodIsRetriedAfterAnAttemptTimedOut() {
    HangsOnceApi api = client.proxy(HangsOnceApi.class);

    assertThat(api.marked()).isEqualTo(2);
    assertThat(markedRuns.get()).isEqualTo(2);
  }

  @Test
  void unmarkedMethodFailsWhenItsAttemptTimesOut() {
    HangsOnceApi api = client.proxy(HangsOnceApi.class);

    assertThatThrownBy(api::unmarked).isInstanceOf(AttemptTimeoutException.class);
    assertThat(unmarkedRuns.get()).isEqualTo(1);
  }
}

package io.keelrpc.server;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds handlers "running" until the test opens it. Counts how many handlers entered. A handler
 * that waits more than {@link #MAX_WAIT} gives up with an exception, so a broken test cannot hang
 * the build.
 */
public final class Gate implements AutoCloseable {
  /** Longest a handler waits at a gate that is never opened. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(10);

  private final CountDownLatch open = new CountDownLatch(1);
  private final AtomicInteger entered = new AtomicInteger();

  /** Called by a handler: counts it as entered, then blocks until the gate opens. */
  public void pass() throws InterruptedException {
    entered.incrementAndGet();
    if (!open.await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("gate never opened");
    }
  }

  /** How many handlers entered so far. */
  public int entered() {
    return entered.get();
  }

  /** Waits until exactly {@code n} handlers have entered. */
  public void awaitEntered(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> entered.get() == n);
  }

  /** Lets every waiting and future handler through. */
  public void open() {
    open.countDown();
  }

  @Override
  public void close() {
    open();
  }
}

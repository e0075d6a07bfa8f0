package io.keelrpc.bench.overload;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A Keel server of known, low capacity: {@code work} holds one of {@code workers} threads for a
 * fixed service time — parked (the capacity does not depend on the CPU the clients use too) or
 * spinning (CPU-bound work, which competes with everything else in the machine) — and at most {@code workers + queue} calls are admitted; the next is answered OVERLOADED with
 * the server's default retry-after hint. Capacity is about {@code workers / serviceTime}.
 */
public final class OverloadServer implements AutoCloseable {
  /** Params and result of {@code work}. */
  public record Work(int n) {}

  /** {@code work}: waits the service time on a worker thread, answers its params. */
  public static final MethodDescriptor<Work, Work> WORK =
      MethodDescriptor.of("work", Work.class, Work.class);

  private final KeelServer server;
  private final LongAdder executed = new LongAdder();

  /**
   * Starts the server on {@code 127.0.0.1}, any free port.
   *
   * @param workers worker threads running {@code work}
   * @param queue admitted calls that may wait beyond those running
   * @param serviceTime how long each call holds its worker
   * @param cpuBound spin for the service time instead of parking
   */
  public OverloadServer(int workers, int queue, Duration serviceTime, boolean cpuBound) {
    Ticker ticker = Ticker.system();
    long serviceNanos = serviceTime.toNanos();
    this.server = KeelServer.builder()
        .host("127.0.0.1")
        .port(0)
        .workerThreads(workers)
        .queueCapacity(queue)
        .shutdownGracePeriod(Duration.ofSeconds(1))
        .handle(WORK, (p, ctx) -> {
          if (cpuBound) {
            long end = ticker.nanoTime() + serviceNanos;
            while (ticker.nanoTime() < end) {
              Thread.onSpinWait();
            }
          } else {
            LockSupport.parkNanos(serviceNanos);
          }
          executed.increment();
          return p;
        })
        .start();
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** Calls whose handler ran to completion so far. */
  public long executed() {
    return executed.sum();
  }

  @Override
  public void close() {
    server.close();
  }
}

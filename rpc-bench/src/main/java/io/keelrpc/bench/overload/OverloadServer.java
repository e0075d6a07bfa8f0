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
 * CPU-bound (a fixed number of hashing rounds, calibrated at start to take the service time on
 * an idle core, so it competes for the cores with parsing, dispatching and refusing requests) —
 * and at most {@code workers + queue} calls are admitted; the next is answered OVERLOADED with
 * the server's default retry-after hint. Capacity is about {@code workers / serviceTime}.
 */
public final class OverloadServer implements AutoCloseable {
  /** Params and result of {@code work}. */
  public record Work(int n) {}

  /** {@code work}: waits the service time on a worker thread, answers its params. */
  public static final MethodDescriptor<Work, Work> WORK =
      MethodDescriptor.of("work", Work.class, Work.class);

  /** {@code stats}: answers the number of {@code work} calls executed so far. */
  public static final MethodDescriptor<Work, Long> STATS =
      MethodDescriptor.of("stats", Work.class, Long.class);

  private final KeelServer server;
  private final LongAdder executed = new LongAdder();
  private final long spinIterations;
  private static volatile long sink;

  /**
   * Starts the server on {@code 127.0.0.1}, any free port.
   *
   * @param workers worker threads running {@code work}
   * @param queue admitted calls that may wait beyond those running
   * @param serviceTime how long each call holds its worker
   * @param cpuBound spin for the service time instead of parking
   */
  public OverloadServer(int workers, int queue, Duration serviceTime, boolean cpuBound) {
    this(workers, queue, serviceTime, cpuBound, KeelServer.QueueOrder.FIFO);
  }

  /**
   * As {@link #OverloadServer(int, int, Duration, boolean)}, with the order in which queued calls
   * run.
   */
  public OverloadServer(int workers, int queue, Duration serviceTime, boolean cpuBound,
      KeelServer.QueueOrder order) {
    long serviceNanos = serviceTime.toNanos();
    this.spinIterations = cpuBound ? calibrate(serviceNanos) : 0;
    long iterations = spinIterations;
    this.server = KeelServer.builder()
        .host("127.0.0.1")
        .port(0)
        .workerThreads(workers)
        .queueCapacity(queue)
        .queueOrder(order)
        .shutdownGracePeriod(Duration.ofSeconds(1))
        .handle(WORK, (p, ctx) -> {
          if (cpuBound) {
            sink = hash(iterations, p.n());
          } else {
            LockSupport.parkNanos(serviceNanos);
          }
          executed.increment();
          return p;
        })
        .handleNonBlocking(STATS, (p, ctx) -> executed.sum()) // answered even with the queue full
        .start();
  }

  /**
   * A fixed amount of CPU work: {@code iterations} rounds of a 64-bit mixing function. The
   * amount is fixed (not a time), so when other threads take the cores it takes longer.
   */
  static long hash(long iterations, long seed) {
    long x = seed;
    for (long i = 0; i < iterations; i++) {
      x = (x ^ (x >>> 31)) * 0x9E3779B97F4A7C15L + i;
      x ^= x >>> 29;
    }
    return x;
  }

  /**
   * Iterations of {@link #hash} that take {@code nanos} on one idle core, measured after 2 s of
   * warm-up so that the work does not get cheaper later as the JIT compiles it.
   */
  static long calibrate(long nanos) {
    Ticker ticker = Ticker.system();
    long n = 10_000;
    long warm = ticker.nanoTime() + 2_000_000_000L; // 2 s: let the JIT finish with hash()
    for (int round = 0; ticker.nanoTime() < warm; round++) {
      sink = hash(n, round);
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 200; round++) {
      long t0 = ticker.nanoTime();
      sink = hash(n, round);
      long t = ticker.nanoTime() - t0;
      if (round >= 100) {
        best = Math.min(best, t);
      }
    }
    return Math.max(1, (long) ((double) n * nanos / Math.max(1, best)));
  }

  /** Rounds of hashing per {@code work} call (0 when parking). */
  public long spinIterations() {
    return spinIterations;
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

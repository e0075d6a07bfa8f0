package io.keelrpc.examples.lab;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.OverloadedException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's server: a {@link KeelServer} on loopback (an ephemeral port) serving {@link #WORK},
 * whose every execution takes a service time drawn from a {@link DelayModel}, at most
 * {@code capacity} executions at a time, further ones waiting in a FIFO queue of at most
 * {@code queueLimit} (beyond it the answer is OVERLOADED with a retry-after). So it behaves like
 * a service with a fixed number of workers: extra attempts (retries of calls whose first attempt is
 * still running) take capacity and make everyone wait longer. Nothing blocks a thread: service
 * times are timers on one scheduler thread.
 *
 * <p>With {@code dedup} on (Keel's default) the server's idempotency cache lets a retry of a call
 * still running join it instead of running again; off, every attempt is a new execution, as with a
 * server that caches only finished answers (the seed's).
 */
public final class SlowServer implements AutoCloseable {
  /** Params and result of {@link #WORK}: the caller's sequence number, echoed. */
  public record Work(long seq) {}

  /** {@code lab.work}: takes a service time, answers its params. */
  public static final MethodDescriptor<Work, Work> WORK =
      MethodDescriptor.of("lab.work", Work.class, Work.class);

  /** The retry-after of an OVERLOADED answer when the queue is full: 50 ms. */
  static final Duration OVERLOAD_RETRY_AFTER = Duration.ofMillis(50);

  private final DelayModel delay;
  private final int capacity;
  private final int queueLimit;
  private final ScheduledExecutorService timer;
  private final KeelServer server;

  private final Object lock = new Object();
  // guarded by lock
  private final SplittableRandom random;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Set<Job> running = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;
  private int busy;
  private int peakQueue;
  private long executions;
  private long rejected;

  private record Job(Work params, CompletableFuture<Work> answer) {}

  private SlowServer(DelayModel delay, int capacity, int queueLimit, boolean dedup, long seed) {
    this.delay = Objects.requireNonNull(delay, "delay");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    if (queueLimit < 0) {
      throw new IllegalArgumentException("queueLimit: " + queueLimit + " (expected: >= 0)");
    }
    this.capacity = capacity;
    this.queueLimit = queueLimit;
    this.random = new SplittableRandom(seed);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "latency-lab-service");
      t.setDaemon(true);
      return t;
    });
    try {
      this.server = KeelServer.builder()
          .host("127.0.0.1")
          .port(0)
          .ioThreads(1)
          .workerThreads(1)
          .idempotency(dedup)
          .shutdownGracePeriod(Duration.ofSeconds(1)) // close() answers everything first
          .handleAsync(WORK, (p, ctx) -> admit(p))
          .start();
    } catch (RuntimeException e) {
      timer.shutdownNow();
      throw e;
    }
  }

  /**
   * Starts a server.
   *
   * @param delay the service time of each execution
   * @param capacity executions served at once (at least 1)
   * @param queueLimit executions that may wait for capacity (0: none, overload at once)
   * @param dedup whether the server's idempotency cache joins retries of running calls
   * @param seed seed of the service-time draws
   * @throws IllegalArgumentException if capacity or queueLimit is out of range
   */
  public static SlowServer start(DelayModel delay, int capacity, int queueLimit, boolean dedup,
      long seed) {
    return new SlowServer(delay, capacity, queueLimit, dedup, seed);
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return server.port();
  }

  private CompletionStage<Work> admit(Work params) {
    Job job = new Job(params, new CompletableFuture<>());
    long serviceNanos;
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new UnavailableException("lab server closed"));
      }
      if (busy >= capacity) {
        if (queue.size() >= queueLimit) {
          rejected++;
          return CompletableFuture.failedFuture(OverloadedException.withRetryAfter(
              "lab server: " + capacity + " busy and " + queue.size() + " queued",
              OVERLOAD_RETRY_AFTER));
        }
        queue.add(job);
        peakQueue = Math.max(peakQueue, queue.size());
        return job.answer();
      }
      busy++;
      serviceNanos = beginLocked(job);
    }
    schedule(job, serviceNanos);
    return job.answer();
  }

  /** Counts an execution and draws its service time; lock held. */
  private long beginLocked(Job job) {
    running.add(job);
    executions++;
    return delay.sampleNanos(random::nextDouble);
  }

  private void schedule(Job job, long serviceNanos) {
    timer.schedule(() -> finish(job), serviceNanos, TimeUnit.NANOSECONDS);
  }

  private void finish(Job job) {
    job.answer().complete(job.params());
    Job next;
    long serviceNanos = 0;
    synchronized (lock) {
      running.remove(job);
      next = closed ? null : queue.poll();
      if (next == null) {
        busy--;
      } else {
        serviceNanos = beginLocked(next);
      }
    }
    if (next != null) {
      schedule(next, serviceNanos);
    }
  }

  /** Executions started so far (every run of the handler's service time). */
  public long executions() {
    synchronized (lock) {
      return executions;
    }
  }

  /** Requests answered OVERLOADED because the queue was full. */
  public long rejected() {
    synchronized (lock) {
      return rejected;
    }
  }

  /** The longest the queue has been. */
  public int peakQueue() {
    synchronized (lock) {
      return peakQueue;
    }
  }

  /**
   * Stops the server at once: queued and running executions are answered UNAVAILABLE (their
   * callers have normally given up already), then the server closes.
   */
  @Override
  public void close() {
    List<Job> dropped;
    synchronized (lock) {
      closed = true;
      dropped = new ArrayList<>(running);
      dropped.addAll(queue);
      running.clear();
      queue.clear();
    }
    UnavailableException closing = new UnavailableException("lab server closed");
    dropped.forEach(j -> j.answer().completeExceptionally(closing));
    try {
      server.close();
    } finally {
      timer.shutdownNow();
    }
  }
}

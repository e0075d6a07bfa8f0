package io.keelrpc.bench.overload;

import io.keelrpc.bench.overload.OverloadServer.Work;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives an {@link OverloadServer}: a closed-loop capacity probe, then open-loop runs in which
 * one client starts calls on a fixed schedule (the i-th at {@code t0 + i/rate}, whether or not
 * earlier ones were answered) from many concurrent callers and retries what fails.
 *
 * <ul>
 *   <li>{@code keel}: a {@link KeelClient} with its defaults — 4 attempts, jittered exponential
 *       backoff of at least the server's {@code retryAfterMs}, the default {@link RetryBudget}.
 *   <li>{@code naive}: a failed attempt is sent again at once, up to 3 retries, no backoff, no
 *       budget (Keel's retries off, the loop here does them); each attempt carries the deadline
 *       to the server, as Keel's requests do.
 *   <li>{@code seed}: the seed's Python client — each attempt times out on the client after the
 *       attempt timeout, up to 3 retries after {@code 50 ms x 2^(n-1) x (1 + 0.1 x random)},
 *       no budget, and <em>no deadline reaches the server</em> (the seed's protocol has none),
 *       so the server runs attempts whose caller has given up.
 * </ul>
 *
 * {@code keel} and {@code naive} give a call the same deadline ({@code keel}: the whole call;
 * {@code naive}: each attempt). Latency
 * runs from the intended start. The run waits for every call it started, at most the longest a
 * call can take plus a margin, so it always stops by itself.
 */
public final class OverloadDriver {
  private static final int NAIVE_MAX_ATTEMPTS = 4;
  /** The seed client's backoff: 50 ms, doubling, plus up to 10% jitter. */
  private static final long SEED_BACKOFF_BASE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** What the seed client's requests tell the server: in effect, no deadline. */
  private static final Duration SEED_SERVER_DEADLINE = Duration.ofHours(1);

  private final Ticker ticker = Ticker.system();
  private final String host;
  private final int port;
  private final LongSupplier executed;
  private final Duration deadline;
  private final Duration attemptTimeout;

  /**
   * A driver for the server at {@code host:port}.
   *
   * @param server the server (in this JVM), read for its executed-calls counter
   * @param deadline the deadline each call is given
   */
  public OverloadDriver(String host, int port, OverloadServer server, Duration deadline) {
    this(host, port, server::executed, deadline);
  }

  /**
   * A driver for the server at {@code host:port}, in this JVM or another.
   *
   * @param executed reads the server's executed-calls counter (e.g. {@link #remoteExecuted})
   * @param deadline the deadline each call is given
   */
  public OverloadDriver(String host, int port, LongSupplier executed, Duration deadline) {
    this(host, port, executed, deadline, null);
  }

  /**
   * As {@link #OverloadDriver(String, int, LongSupplier, Duration)}, with the {@code seed}
   * client's per-attempt timeout, which it applies on the client side only (the server never
   * hears of it). Keel's client keeps to {@code deadline}, which it sends with each attempt.
   *
   * @param attemptTimeout the per-attempt timeout, at most {@code deadline}; {@code null}: none
   *     ({@code seed} then uses {@code deadline} per attempt)
   */
  public OverloadDriver(String host, int port, LongSupplier executed, Duration deadline,
      Duration attemptTimeout) {
    if (attemptTimeout != null && attemptTimeout.compareTo(deadline) > 0) {
      throw new IllegalArgumentException("attempt timeout " + attemptTimeout
          + " is longer than the deadline " + deadline);
    }
    this.host = host;
    this.port = port;
    this.executed = executed;
    this.deadline = deadline;
    this.attemptTimeout = attemptTimeout;
  }

  /**
   * Reads the executed-calls counter of the server at {@code host:port} with its {@code stats}
   * method (Keel's default retries); -1 if it cannot.
   */
  public static LongSupplier remoteExecuted(String host, int port) {
    return () -> {
      try (KeelClient c = KeelClient.builder().endpoint(host, port)
          .deadline(Duration.ofSeconds(5)).build()) {
        return c.callAsync(OverloadServer.STATS, new Work(0)).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    };
  }

  /**
   * Successful calls per second with {@code lanes} calls kept outstanding and no retries, after a
   * warm-up: with lanes at most {@code workers + queue}, nothing is refused, so this is what the
   * server can do.
   */
  public double measureCapacity(int lanes, Duration warmup, Duration window)
      throws InterruptedException {
    return measureCapacity(lanes, warmup, window, 1);
  }

  /**
   * As {@link #measureCapacity(int, Duration, Duration)}, but the median of {@code windows}
   * consecutive windows after the (uncounted) warm-up.
   */
  public double measureCapacity(int lanes, Duration warmup, Duration window, int windows)
      throws InterruptedException {
    try (KeelClient client = KeelClient.builder().endpoint(host, port).deadline(deadline)
        .retryPolicy(RetryPolicy.noRetries()).build()) {
      closedLoop(client, lanes, warmup);
      double[] rates = new double[windows];
      for (int i = 0; i < windows; i++) {
        rates[i] = closedLoop(client, lanes, window) / (window.toNanos() / 1e9);
      }
      lastCapacityWindows = rates.clone();
      Arrays.sort(rates);
      return windows % 2 == 1 ? rates[windows / 2]
          : (rates[windows / 2 - 1] + rates[windows / 2]) / 2;
    }
  }

  private volatile double[] lastCapacityWindows = new double[0];

  /** Calls/s of each window of the last capacity probe, in order. */
  public double[] lastCapacityWindows() {
    return lastCapacityWindows.clone();
  }

  private long closedLoop(KeelClient client, int lanes, Duration window)
      throws InterruptedException {
    long end = ticker.nanoTime() + window.toNanos();
    LongAdder ok = new LongAdder();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      CompletableFuture<Void> lane = new CompletableFuture<>();
      done.add(lane);
      lane(client, end, ok, lane);
    }
    await(done);
    return ok.sum();
  }

  private void lane(KeelClient client, long end, LongAdder ok, CompletableFuture<Void> lane) {
    client.callAsync(OverloadServer.WORK, new Work(1)).whenComplete((r, f) -> {
      if (ticker.nanoTime() >= end) {
        lane.complete(null);
        return;
      }
      if (f == null) {
        ok.increment();
      }
      lane(client, end, ok, lane);
    });
  }

  /**
   * One open-loop run of {@code kind} ({@code keel}, {@code naive} or {@code seed}) at
   * {@code rate} calls/s.
   */
  public OverloadResult run(String kind, double rate, Duration window)
      throws InterruptedException {
    LongAdder retries = new LongAdder();
    KeelClient.Builder b = KeelClient.builder().endpoint(host, port).deadline(deadline);
    boolean naive;
    boolean seed = false;
    switch (kind) {
      case "keel":
        naive = false;
        b.listener(new CallListener() {
          @Override
          public void onRetry(RetryEvent event) {
            retries.increment();
          }
        });
        break;
      case "naive":
        naive = true;
        b.retryPolicy(RetryPolicy.noRetries()).retryBudget(RetryBudget.unlimited());
        break;
      case "seed":
        naive = true;
        seed = true;
        b.deadline(SEED_SERVER_DEADLINE)
            .retryPolicy(RetryPolicy.noRetries()).retryBudget(RetryBudget.unlimited());
        break;
      default:
        throw new IllegalArgumentException("client: " + kind
            + " (expected: keel, naive or seed)");
    }
    Histogram latency = new ConcurrentHistogram(3);
    LongAdder ok = new LongAdder();
    LongAdder naiveAttempts = new LongAdder();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    long executedBefore = executed.getAsLong();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "seed-client-timers");
      t.setDaemon(true);
      return t;
    });
    try (KeelClient client = b.build()) {
      long interval = (long) (1e9 / rate);
      long t0 = ticker.nanoTime();
      long end = t0 + window.toNanos();
      for (long i = 0; ; i++) {
        long intended = t0 + i * interval;
        if (intended >= end) {
          break;
        }
        long wait = intended - ticker.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        CompletableFuture<Work> call = naive
            ? retryingCall(client, timers, seed, naiveAttempts, 1)
            : client.callAsync(OverloadServer.WORK, new Work(1));
        calls.add(call.whenComplete((r, f) -> {
          if (f == null) {
            ok.increment();
            latency.recordValue(Math.max(0, (ticker.nanoTime() - intended) / 1000));
          }
        }));
      }
      await(calls);
      drain();
      long executedAfter = executed.getAsLong();
      double executedPerSec = executedBefore < 0 || executedAfter < 0 ? Double.NaN
          : (executedAfter - executedBefore) / (window.toNanos() / 1e9);
      long attempts = naive ? naiveAttempts.sum() : calls.size() + retries.sum();
      return new OverloadResult(kind, rate, window.toNanos() / 1e9, calls.size(), ok.sum(),
          attempts, executedPerSec, latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(99));
    } finally {
      timers.shutdownNow();
    }
  }

  /**
   * One attempt of a {@code naive} or {@code seed} call and the retries after it, up to
   * {@value #NAIVE_MAX_ATTEMPTS} attempts in all, no budget. {@code naive} retries a failed attempt
   * at once. {@code seed} also times each attempt out on the client and waits
   * {@code 50 ms x 2^(n-1) x (1 + 0.1 x random)} before the next.
   */
  private CompletableFuture<Work> retryingCall(KeelClient client, ScheduledExecutorService timers,
      boolean seed, LongAdder attempts, int attempt) {
    attempts.increment();
    // A copy, so that timing it out leaves the request itself alone: like the seed's client,
    // this one stops waiting but cannot tell the server to stop.
    CompletableFuture<Work> reply = new CompletableFuture<>();
    client.callAsync(OverloadServer.WORK, new Work(1)).whenComplete((r, f) -> forward(r, f, reply));
    Duration timeout = attemptTimeout != null ? attemptTimeout : deadline;
    ScheduledFuture<?> timer = !seed ? null : timers.schedule(
        () -> reply.completeExceptionally(new TimeoutException("attempt timed out")),
        timeout.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture<Work> call = new CompletableFuture<>();
    reply.whenComplete((r, f) -> {
      if (timer != null) {
        timer.cancel(false);
      }
      if (f == null) {
        call.complete(r);
      } else if (attempt >= NAIVE_MAX_ATTEMPTS) {
        call.completeExceptionally(f);
      } else {
        Runnable next = () -> retryingCall(client, timers, seed, attempts, attempt + 1)
            .whenComplete((r2, f2) -> forward(r2, f2, call));
        if (seed) {
          long backoff = (long) (SEED_BACKOFF_BASE_NANOS * Math.pow(2, attempt - 1)
              * (1 + 0.1 * ThreadLocalRandom.current().nextDouble()));
          timers.schedule(next, backoff, TimeUnit.NANOSECONDS);
        } else {
          next.run();
        }
      }
    });
    return call;
  }

  private static <T> void forward(T result, Throwable failure, CompletableFuture<T> to) {
    if (failure == null) {
      to.complete(result);
    } else {
      to.completeExceptionally(failure);
    }
  }

  /**
   * Waits (at most 30 s) until the server's executed-calls counter stops moving for 200 ms, so
   * work a run left queued — attempts whose callers gave up — is not counted in the next run.
   */
  private void drain() {
    long limit = ticker.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = executed.getAsLong();
    while (last >= 0 && ticker.nanoTime() < limit) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      long now = executed.getAsLong();
      if (now == last) {
        return;
      }
      last = now;
    }
  }

  /** Waits for every future, at most the longest a call can take (naive: 4 deadlines) + 5 s. */
  private void await(List<? extends CompletableFuture<?>> futures) throws InterruptedException {
    long limitNanos = deadline.toNanos() * NAIVE_MAX_ATTEMPTS + TimeUnit.SECONDS.toNanos(5);
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .exceptionally(f -> null)
          .get(limitNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // bounded: calls still unanswered count as failed
    }
  }
}

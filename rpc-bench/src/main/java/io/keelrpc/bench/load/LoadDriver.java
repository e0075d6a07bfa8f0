package io.keelrpc.bench.load;

import io.keelrpc.bench.echo.EchoClient;
import io.keelrpc.bench.echo.Payload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one {@link EchoClient} for a warm-up (not counted) and a measured window, in one of two
 * modes, and records latencies in microseconds in an HdrHistogram (3 significant digits).
 *
 * <ul>
 *   <li><b>Closed loop</b>: {@code C} lanes each keep one call outstanding and issue the next when
 *       the previous completes. Latency runs from the actual send; a call counts if it completes
 *       inside the window.
 *   <li><b>Open loop</b>: calls are sent on a fixed schedule, the i-th at {@code t0 + i/R}, whether
 *       or not earlier calls were answered. Latency runs from the <em>intended</em> send time, so
 *       a stalled server (or a late sender) shows up in the percentiles instead of silently
 *       slowing the schedule (no coordinated omission). A call counts if its intended time falls
 *       inside the window; the run then waits for those calls to be answered. At most
 *       {@code maxOutstanding} calls may be outstanding: a send that would exceed it is skipped and
 *       counted as dropped (an error).
 * </ul>
 *
 * The warm-up lasts at least {@code warmup} and until {@code warmupCalls} calls were completed
 * (closed loop) or sent (open loop), at most {@code warmupMax}: JIT compilation follows invocation
 * counts, so a time-only warm-up would leave a slow-to-warm stack (gRPC's is deep) partly
 * interpreted in the window.
 *
 * <p>Everything is bounded: after the schedule ends the run waits at most {@code drainLimit} for
 * outstanding calls, and counts those still unanswered as errors.
 */
public final class LoadDriver {
  /** Closed or open loop. */
  public enum Mode {
    closed,
    open
  }

  /**
   * What to run.
   *
   * @param mode closed or open loop
   * @param concurrency closed loop: calls kept outstanding (ignored in open loop)
   * @param rate open loop: calls per second (ignored in closed loop)
   * @param maxOutstanding open loop: the cap on outstanding calls
   * @param warmup the shortest warm-up, not counted
   * @param warmupCalls the fewest calls the warm-up must complete (closed loop) or send (open
   *     loop: the warm-up lasts at least {@code warmupCalls / rate}): the JIT compiles after a
   *     number of invocations, not of seconds, and a slow-to-warm implementation would otherwise
   *     be measured partly interpreted
   * @param warmupMax the longest warm-up, whatever {@code warmupCalls} says
   * @param duration the measured window
   * @param drainLimit how long to wait for outstanding calls after the schedule ends
   */
  public record Settings(Mode mode, int concurrency, double rate, int maxOutstanding,
      Duration warmup, long warmupCalls, Duration warmupMax, Duration duration,
      Duration drainLimit) {
    public Settings {
      Objects.requireNonNull(mode, "mode");
      if (mode == Mode.closed && concurrency < 1) {
        throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
      }
      if (mode == Mode.open && !(rate > 0 && rate <= 10_000_000)) {
        throw new IllegalArgumentException("rate: " + rate + " (expected: 0 < rate <= 1e7)");
      }
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding
            + " (expected: >= 1)");
      }
      if (warmupCalls < 0) {
        throw new IllegalArgumentException("warmupCalls: " + warmupCalls + " (expected: >= 0)");
      }
      if (warmup.isNegative() || warmupMax.compareTo(warmup) < 0 || duration.isNegative()
          || duration.isZero() || drainLimit.isNegative()) {
        throw new IllegalArgumentException(
            "0 <= warmup <= warmupMax, duration > 0, drainLimit >= 0 expected");
      }
    }

    /** A closed-loop run with a time-only warm-up. */
    public static Settings closed(int concurrency, Duration warmup, Duration duration) {
      return new Settings(Mode.closed, concurrency, 0, 1, warmup, 0, warmup, duration,
          Duration.ofSeconds(15));
    }

    /** An open-loop run with a time-only warm-up. */
    public static Settings open(double rate, int maxOutstanding, Duration warmup,
        Duration duration) {
      return new Settings(Mode.open, 0, rate, maxOutstanding, warmup, 0, warmup, duration,
          Duration.ofSeconds(15));
    }
  }

  /** Failures retried after this pause (per lane), so that a dead server does not spin a core. */
  private static final long ERROR_PAUSE_MS = 1;
  /** How often the closed loop checks whether its warm-up is over. */
  private static final long POLL_NANOS = 5_000_000;

  private final String implName;
  private final EchoClient client;
  private final PrintStream progress;
  private final AtomicReference<Throwable> firstError = new AtomicReference<>();

  /**
   * A driver of {@code client}.
   *
   * @param progress where to print completed calls per second while running, or {@code null}
   */
  public LoadDriver(String implName, EchoClient client, PrintStream progress) {
    this.implName = Objects.requireNonNull(implName, "implName");
    this.client = Objects.requireNonNull(client, "client");
    this.progress = progress;
  }

  public LoadDriver(String implName, EchoClient client) {
    this(implName, client, null);
  }

  /** The first failure of the last {@link #run}, or {@code null} if none. */
  public Throwable firstError() {
    return firstError.get();
  }

  /**
   * A session's JIT warm-up: a closed loop at {@code concurrency} for at least {@code min}, until
   * at least {@code minCalls} calls completed, at most {@code max}; nothing is recorded.
   *
   * @return how long it lasted ({@link RunResult#warmup()}) and how many calls completed
   *     ({@link RunResult#warmupCalls()}) and failed ({@link RunResult#errors()})
   */
  public RunResult warmUp(Payload payload, int concurrency, Duration min, long minCalls,
      Duration max) throws InterruptedException {
    return run(payload, new Settings(Mode.closed, concurrency, 0, 1, min, minCalls, max,
        Duration.ofNanos(1), Duration.ofSeconds(15)));
  }

  /** Runs the warm-up and the window; returns when done (bounded). */
  public RunResult run(Payload payload, Settings s) throws InterruptedException {
    firstError.set(null);
    LongAdder completed = new LongAdder();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-driver-timer");
      t.setDaemon(true);
      return t;
    });
    try {
      if (progress != null) {
        long[] last = {0};
        long t0 = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
          long now = completed.sum();
          progress.printf(Locale.ROOT, "# %s +%.0fs: %d calls/s%n", implName,
              (System.nanoTime() - t0) / 1e9, now - last[0]);
          last[0] = now;
        }, 1, 1, TimeUnit.SECONDS);
      }
      return s.mode() == Mode.closed ? new ClosedRun(payload, s, completed, timer).run()
          : new OpenRun(payload, s, completed).run();
    } finally {
      timer.shutdownNow();
    }
  }

  private RunResult result(Settings s, Payload payload, Duration warmup, long warmupCalls,
      Histogram h, long inWindow, long errors, long dropped) {
    double seconds = s.duration().toNanos() / 1e9;
    return new RunResult(implName, s.mode().name(),
        s.mode() == Mode.closed ? s.concurrency() : 0, payload.size(),
        s.mode() == Mode.open ? s.rate() : 0, warmup, warmupCalls, s.duration(),
        h.getTotalCount(), inWindow / seconds, h.getValueAtPercentile(50),
        h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
        h.getMaxValue(), errors, dropped, Duration.ZERO, 0);
  }

  private void noteError(Throwable t) {
    firstError.compareAndSet(null, t);
  }

  /** The measured window of a closed-loop run, fixed once the warm-up is over. */
  private record Window(long start, long end) {}

  private final class ClosedRun {
    final Payload payload;
    final Settings s;
    final LongAdder completed;
    final ScheduledExecutorService timer;
    final Recorder recorder = new Recorder(3);
    final LongAdder inWindow = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicInteger lanes = new AtomicInteger();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    volatile Window window; // null during the warm-up
    volatile boolean stopped;

    ClosedRun(Payload payload, Settings s, LongAdder completed, ScheduledExecutorService timer) {
      this.payload = payload;
      this.s = s;
      this.completed = completed;
      this.timer = timer;
    }

    RunResult run() throws InterruptedException {
      lanes.set(s.concurrency());
      long unanswered = 0;
      long begin = System.nanoTime();
      long warmupCalls;
      Window w;
      try {
        for (int i = 0; i < s.concurrency(); i++) {
          issue();
        }
        // The warm-up lasts at least s.warmup() and until s.warmupCalls() calls completed, at
        // most s.warmupMax().
        long minEnd = begin + s.warmup().toNanos();
        long maxEnd = begin + s.warmupMax().toNanos();
        while (true) {
          long now = System.nanoTime();
          if (now - maxEnd >= 0 || (now - minEnd >= 0 && completed.sum() >= s.warmupCalls())) {
            warmupCalls = completed.sum();
            w = new Window(now, now + s.duration().toNanos());
            window = w;
            break;
          }
          LockSupport.parkNanos(Math.min(POLL_NANOS, Math.max(1, minEnd - now)));
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
        }
        long waitNanos = w.end() - System.nanoTime() + s.drainLimit().toNanos();
        try {
          finished.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          unanswered = lanes.get();
          noteError(new TimeoutException(unanswered + " calls still unanswered "
              + s.drainLimit().toMillis() + " ms after the window"));
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      } finally {
        stopped = true;
      }
      return result(s, payload, Duration.ofNanos(w.start() - begin), warmupCalls,
          recorder.getIntervalHistogram(), inWindow.sum(), errors.sum() + unanswered, 0);
    }

    /** One lane issues its next call, or ends after the window. */
    void issue() {
      long start = System.nanoTime();
      Window w = window;
      if (stopped || (w != null && start - w.end() >= 0)) {
        if (lanes.decrementAndGet() == 0) {
          finished.complete(null);
        }
        return;
      }
      client.call(payload, failure -> completed(start, failure));
    }

    void completed(long start, Throwable failure) {
      long end = System.nanoTime();
      if (failure != null) {
        errors.increment();
        noteError(failure);
        try {
          timer.schedule(this::issue, ERROR_PAUSE_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // the timer is shut down: the run is over
          if (lanes.decrementAndGet() == 0) {
            finished.complete(null);
          }
        }
        return;
      }
      completed.increment();
      Window w = window;
      if (w != null && end - w.start() >= 0 && end - w.end() < 0) {
        inWindow.increment();
        recorder.recordValue(Math.max(1, (end - start) / 1_000));
      }
      issue();
    }
  }

  private final class OpenRun {
    final Payload payload;
    final Settings s;
    final LongAdder completed;
    final long t0;
    final long warmupNanos;
    final long windowStart;
    final long windowEnd;
    final Recorder recorder = new Recorder(3);
    final LongAdder inWindow = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicLong outstanding = new AtomicLong();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    volatile boolean sending = true;
    long dropped;

    OpenRun(Payload payload, Settings s, LongAdder completed) {
      this.payload = payload;
      this.s = s;
      this.completed = completed;
      // At least s.warmup() and long enough to send s.warmupCalls() calls, at most s.warmupMax().
      double forCalls = s.warmupCalls() / s.rate() * 1e9;
      this.warmupNanos = Math.min(s.warmupMax().toNanos(),
          Math.max(s.warmup().toNanos(), (long) Math.ceil(forCalls)));
      this.t0 = System.nanoTime() + 1_000_000; // 1 ms to get the sender going
      this.windowStart = t0 + warmupNanos;
      this.windowEnd = windowStart + s.duration().toNanos();
    }

    RunResult run() throws InterruptedException {
      double periodNanos = 1e9 / s.rate();
      long warmupCalls = 0;
      try {
        for (long i = 0; ; i++) {
          long intended = t0 + (long) (i * periodNanos);
          if (intended - windowEnd >= 0) {
            break;
          }
          long now = System.nanoTime();
          while (intended - now > 0) {
            LockSupport.parkNanos(intended - now);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
            now = System.nanoTime();
          }
          if (intended - windowStart < 0) {
            warmupCalls++;
          }
          if (outstanding.get() >= s.maxOutstanding()) {
            dropped++;
            if (dropped == 1) {
              noteError(new IllegalStateException("more than " + s.maxOutstanding()
                  + " calls outstanding; sends were skipped"));
            }
            continue;
          }
          outstanding.incrementAndGet();
          client.call(payload, failure -> completed(intended, failure));
        }
      } finally {
        sending = false;
      }
      if (outstanding.get() == 0) {
        finished.complete(null);
      }
      long unanswered = 0;
      try {
        finished.get(s.drainLimit().toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        unanswered = outstanding.get();
        noteError(new TimeoutException(unanswered + " calls still unanswered "
            + s.drainLimit().toMillis() + " ms after the schedule ended"));
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      return result(s, payload, Duration.ofNanos(warmupNanos), warmupCalls,
          recorder.getIntervalHistogram(), inWindow.sum(), errors.sum() + unanswered + dropped,
          dropped);
    }

    void completed(long intended, Throwable failure) {
      long end = System.nanoTime();
      if (failure != null) {
        errors.increment();
        noteError(failure);
      } else {
        completed.increment();
        if (intended - windowStart >= 0 && intended - windowEnd < 0) {
          recorder.recordValue(Math.max(1, (end - intended) / 1_000));
        }
        if (end - windowStart >= 0 && end - windowEnd < 0) {
          inWindow.increment();
        }
      }
      if (outstanding.decrementAndGet() == 0 && !sending) {
        finished.complete(null);
      }
    }
  }
}

package io.keelrpc.examples.load;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.load.EchoService.Echo;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load generator over one {@link KeelClient}: {@code C} lanes each keep one
 * {@code echo} call outstanding, issuing the next as soon as the previous completes. A run is a
 * warm-up, whose calls are not counted, then a measured window; latencies of calls that complete
 * inside the window go into an HdrHistogram (microseconds, 3 significant digits).
 *
 * <p>Lanes stop issuing at the end of the window and the run returns once their last calls have
 * completed, which the client's deadline bounds.
 */
final class LoadGenerator {
  /** How long after the window a run may take to collect its last calls before giving up. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  /**
   * One run's numbers.
   *
   * @param cache the server's idempotency cache, {@code on} or {@code off}
   * @param concurrency calls kept outstanding
   * @param payloadBytes the echoed payload's length
   * @param calls successful calls that completed in the measured window
   * @param errors failed calls (or wrong echoes) during the whole run, warm-up included
   * @param window the measured window
   * @param latencyMicros the latencies of {@code calls}
   * @param firstError the first failure, or {@code null}
   */
  record Result(CacheMode cache, int concurrency, int payloadBytes, long calls, long errors,
      Duration window, Histogram latencyMicros, Throwable firstError) {
    double callsPerSecond() {
      return calls / (window.toNanos() / 1e9);
    }

    long p50() {
      return latencyMicros.getValueAtPercentile(50.0);
    }

    long p99() {
      return latencyMicros.getValueAtPercentile(99.0);
    }

    long p999() {
      return latencyMicros.getValueAtPercentile(99.9);
    }

    /** {@code cache=on C=16 payload=64B calls/s=... p50=...us p99=...us p999=...us errors=N}. */
    String line() {
      return String.format(Locale.ROOT,
          "cache=%s C=%d payload=%dB calls/s=%.0f p50=%dus p99=%dus p999=%dus errors=%d",
          cache, concurrency, payloadBytes, callsPerSecond(), p50(), p99(), p999(), errors);
    }

    /** The row of {@link #markdownHeader()}. */
    String markdownRow() {
      return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %d | %d | %d | %d |",
          cache, concurrency, payloadBytes, callsPerSecond(), p50(), p99(), p999(), errors);
    }

    static String markdownHeader() {
      return "| cache | C | payload (B) | calls/s | p50 (us) | p99 (us) | p999 (us) | errors |\n"
          + "|---|---:|---:|---:|---:|---:|---:|---:|";
    }
  }

  private final KeelClient client;
  private final Ticker ticker;

  LoadGenerator(KeelClient client, Ticker ticker) {
    this.client = Objects.requireNonNull(client, "client");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** A string of {@code n} ASCII letters. */
  static String payload(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + i % 26));
    }
    return sb.toString();
  }

  /**
   * Runs {@code warmup} then {@code window} with {@code concurrency} calls outstanding.
   *
   * @throws TimeoutException if the last calls did not complete within 30 s after the window
   */
  Result run(CacheMode cache, int concurrency, int payloadBytes, Duration warmup,
      Duration window) throws InterruptedException, TimeoutException {
    Run run = new Run(new Echo(payload(payloadBytes)), warmup, window);
    for (int i = 0; i < concurrency; i++) {
      run.lanes.incrementAndGet();
    }
    for (int i = 0; i < concurrency; i++) {
      run.nextCall();
    }
    try {
      run.finished.get(warmup.plus(window).plus(DRAIN_LIMIT).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a lane failed", e.getCause());
    } finally {
      run.stopped = true;
    }
    return new Result(cache, concurrency, payloadBytes, run.calls.sum(), run.errors.sum(), window,
        run.recorder.getIntervalHistogram(), run.firstError.get());
  }

  /** The state of one run, shared by its lanes. */
  private final class Run {
    final Echo request;
    final long windowStart;
    final long windowEnd;
    final Recorder recorder = new Recorder(3);
    final LongAdder calls = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicReference<Throwable> firstError = new AtomicReference<>();
    final AtomicInteger lanes = new AtomicInteger();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    volatile boolean stopped;

    Run(Echo request, Duration warmup, Duration window) {
      this.request = request;
      this.windowStart = ticker.nanoTime() + warmup.toNanos();
      this.windowEnd = windowStart + window.toNanos();
    }

    /**
     * Issues the lane's next call, or ends the lane after the window. Calls that complete at once
     * are handled in this loop rather than by recursion.
     */
    void nextCall() {
      while (true) {
        long start = ticker.nanoTime();
        if (stopped || start - windowEnd >= 0) {
          if (lanes.decrementAndGet() == 0) {
            finished.complete(null);
          }
          return;
        }
        CompletableFuture<Echo> call;
        try {
          call = client.callAsync(EchoService.ECHO, request);
        } catch (RuntimeException e) {
          call = CompletableFuture.failedFuture(e);
        }
        if (!call.isDone()) {
          call.whenComplete((reply, failure) -> {
            completed(start, reply, failure);
            nextCall();
          });
          return;
        }
        Echo reply = null;
        Throwable failure = null;
        try {
          reply = call.join();
        } catch (CompletionException | CancellationException e) {
          failure = e.getCause() != null ? e.getCause() : e;
        }
        completed(start, reply, failure);
      }
    }

    private void completed(long start, Echo reply, Throwable failure) {
      long end = ticker.nanoTime();
      if (failure == null && (reply == null || !request.payload().equals(reply.payload()))) {
        failure = new IllegalStateException("echo answered a different payload");
      }
      if (failure != null) {
        errors.increment();
        firstError.compareAndSet(null, failure);
        return;
      }
      if (end - windowStart >= 0 && end - windowEnd < 0) {
        calls.increment();
        recorder.recordValue(Math.max(1, (end - start) / 1_000));
      }
    }
  }
}

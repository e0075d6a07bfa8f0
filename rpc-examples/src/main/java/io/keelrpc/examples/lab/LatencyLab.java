package io.keelrpc.examples.lab;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.TimeoutEvent;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.lab.SlowServer.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lab's matrix: for each cell a fresh {@link SlowServer} and a fresh {@link KeelClient}
 * (so a storm in one cell leaves nothing queued for the next, and each keel-default client starts
 * with a full retry budget), {@code calls} calls kept {@code concurrency} outstanding, and a
 * {@link CellResult}. Before the first cell an unmeasured warm-up cell (delay 0, as many calls as a
 * cell) lets the JIT compile the call path.
 */
public final class LatencyLab {
  private static final Logger log = LoggerFactory.getLogger(LatencyLab.class);
  private static final Duration READY_DEADLINE = Duration.ofSeconds(10);
  private static final long HISTOGRAM_MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final LabConfig config;
  private final Ticker ticker;

  /** A lab that will run {@code config}, timing calls with {@code ticker}. */
  public LatencyLab(LabConfig config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
  }

  /**
   * Runs every cell in order (delay, then timeout, then policy), handing each result to
   * {@code progress} as soon as it is measured.
   *
   * @throws IllegalStateException if a cell does not finish within {@link LabConfig#cellBound()}
   * @throws InterruptedException if interrupted while waiting for a cell
   */
  public List<CellResult> run(Consumer<CellResult> progress) throws InterruptedException {
    warmUp();
    List<CellResult> results = new ArrayList<>(config.cells());
    for (long delay : config.delaysMs()) {
      for (long timeout : config.timeoutsMs()) {
        for (ClientPolicy policy : config.policies()) {
          CellResult r = runCell(delay, timeout, policy, config.calls());
          log.debug("cell done: {}", r.line());
          results.add(r);
          progress.accept(r);
        }
      }
    }
    return results;
  }

  private void warmUp() throws InterruptedException {
    long start = ticker.nanoTime();
    runCell(0, 1000, ClientPolicy.SEED, config.calls());
    log.info("warm-up done in {} ms", (ticker.nanoTime() - start) / 1_000_000);
  }

  /** Per-cell counts from the client's call events. */
  private static final class Counters implements CallListener {
    final LongAdder retries = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder maxAttemptsFailures = new LongAdder();
    final LongAdder deadlineFailures = new LongAdder();
    final LongAdder budgetFailures = new LongAdder();
    final AtomicInteger maxAttempt = new AtomicInteger(1);

    @Override
    public void onRetry(RetryEvent event) {
      retries.increment();
      maxAttempt.accumulateAndGet(event.attempt(), Math::max);
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
      timeouts.increment();
    }

    @Override
    public void onRetriesExhausted(RetriesExhaustedEvent event) {
      switch (event.reason()) {
        case MAX_ATTEMPTS -> maxAttemptsFailures.increment();
        case DEADLINE -> deadlineFailures.increment();
        case BUDGET -> budgetFailures.increment();
        default -> { } // NOT_RETRYABLE: counted as "other" from the call's outcome
      }
    }
  }

  private CellResult runCell(long delayMs, long timeoutMs, ClientPolicy policy, int calls)
      throws InterruptedException {
    DelayModel service = config.serviceTime().withBase(Duration.ofMillis(delayMs));
    Counters counters = new Counters();
    long cellStart = ticker.nanoTime();
    try (SlowServer server = SlowServer.start(service, config.serverCapacity(),
            config.serverQueue(), config.serverDedup(), config.seed());
        KeelClient client = KeelClient.builder()
            .endpoint("127.0.0.1", server.port())
            .deadline(config.deadline())
            .perAttemptTimeout(Duration.ofMillis(timeoutMs))
            .retryPolicy(policy.retryPolicy())
            .retryBudget(policy.newBudget())
            .build()) {
      // Connect first, with room to spare, so no cell pays for the connection.
      client.call(SlowServer.WORK, new Work(-1), CallOptions.builder().deadline(READY_DEADLINE)
          .perAttemptTimeout(READY_DEADLINE).build());
      long executionsBefore = server.executions();
      CallOptions options = CallOptions.builder().idempotent(true).listener(counters).build();
      long[] latencyNanos = new long[calls];
      AtomicInteger next = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(calls);
      Runnable[] launch = new Runnable[1];
      launch[0] = () -> {
        int i = next.getAndIncrement();
        if (i >= calls) {
          return;
        }
        long start = ticker.nanoTime();
        client.callAsync(SlowServer.WORK, new Work(i), options).whenComplete((r, t) -> {
          latencyNanos[i] = t == null ? ticker.nanoTime() - start : -1;
          done.countDown();
          launch[0].run();
        });
      };
      long measureStart = ticker.nanoTime();
      for (int c = 0; c < Math.min(config.concurrency(), calls); c++) {
        launch[0].run();
      }
      Duration bound = config.cellBound();
      if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("cell delay=" + delayMs + " timeout=" + timeoutMs
            + " policy=" + policy.label() + ": " + done.getCount() + " of " + calls
            + " calls unfinished after " + bound);
      }
      long wallMs = (ticker.nanoTime() - measureStart) / 1_000_000;
      return summarize(delayMs, timeoutMs, policy, latencyNanos, counters,
          server.executions() - executionsBefore, server, wallMs);
    } finally {
      log.debug("cell delay={} timeout={} policy={} took {} ms with set-up", delayMs, timeoutMs,
          policy.label(), (ticker.nanoTime() - cellStart) / 1_000_000);
    }
  }

  private static CellResult summarize(long delayMs, long timeoutMs, ClientPolicy policy,
      long[] latencyNanos, Counters counters, long executions, SlowServer server, long wallMs) {
    // The latch's count-down happens-before await's return, so every slot is visible here.
    Histogram micros = new Histogram(HISTOGRAM_MAX_MICROS, 3);
    int successes = 0;
    for (long n : latencyNanos) {
      if (n >= 0) {
        successes++;
        micros.recordValue(Math.min(HISTOGRAM_MAX_MICROS, Math.max(1, n / 1000)));
      }
    }
    int calls = latencyNanos.length;
    long failures = calls - successes;
    long explained = counters.maxAttemptsFailures.sum() + counters.deadlineFailures.sum()
        + counters.budgetFailures.sum();
    return new CellResult(delayMs, timeoutMs, policy, calls, successes,
        percentileMs(micros, 50), percentileMs(micros, 95), percentileMs(micros, 99),
        successes == 0 ? Double.NaN : micros.getMaxValue() / 1000.0,
        calls + counters.retries.sum(), counters.maxAttempt.get(), counters.timeouts.sum(),
        executions, server.rejected(), server.peakQueue(), counters.maxAttemptsFailures.sum(),
        counters.deadlineFailures.sum(), counters.budgetFailures.sum(),
        Math.max(0, failures - explained), wallMs);
  }

  private static double percentileMs(Histogram micros, double p) {
    return micros.getTotalCount() == 0 ? Double.NaN
        : micros.getValueAtPercentile(p) / 1000.0;
  }
}

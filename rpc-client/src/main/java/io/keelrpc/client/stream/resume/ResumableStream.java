package io.keelrpc.client.stream.resume;

import io.keelrpc.client.stream.resume.internal.ResumeEngine;
import io.keelrpc.client.stream.resume.internal.ResumeScheduler;
import io.keelrpc.client.stream.resume.internal.Settings;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Reads a {@link SequencedSource} that may lose, duplicate and reorder items and drop its
 * connection, and delivers every item to the application <b>exactly once, in sequence order</b>.
 *
 * <table>
 *   <caption>What the stream does about each fault of the transport</caption>
 *   <tr><th>the transport...</th><th>the stream...</th></tr>
 *   <tr><td>duplicates an item</td>
 *       <td>drops every copy after the first (by sequence number)</td></tr>
 *   <tr><td>reorders items</td>
 *       <td>holds items that arrive early, up to {@link Builder#window(int) window} numbers
 *           ahead of the next expected one, and releases them when the gap before them
 *           fills</td></tr>
 *   <tr><td>loses an item</td>
 *       <td>once a later item shows the gap, waits {@link Builder#gapTimeout(Duration)
 *           gapTimeout}, then asks for the missing range with
 *           {@link SequencedSource.Handle#requestRetransmit}; asks again every gapTimeout while
 *           it stays missing</td></tr>
 *   <tr><td>sends an item more than {@code window} numbers ahead (window overflow)</td>
 *       <td>drops that item and ends the connection as if it had failed: it reconnects after the
 *           backoff and resumes from the next expected number. What it holds is kept</td></tr>
 *   <tr><td>fails (disconnect)</td>
 *       <td>waits a jittered exponential backoff and {@linkplain SequencedSource#open opens} a
 *           new connection from the last delivered number + 1</td></tr>
 * </table>
 *
 * <p>Usage: follow a feed of ticks, given an adapter from the transport to a
 * {@link SequencedSource}.
 *
 * <pre>{@code
 * SequencedSource<Tick> ticks = (fromSeq, onItem, onFailure) -> {
 *   // subscribe from fromSeq; map each message m to onItem.accept(new Sequenced<>(m.seq(), m.tick()));
 *   // report a lost connection to onFailure; return a handle for retransmit requests and close
 *   ...
 * };
 * ResumableStream<Tick> stream = ResumableStream.builder(ticks)
 *     .window(1024)                            // the default
 *     .gapTimeout(Duration.ofMillis(200))      // the default
 *     .executor(appExecutor)                   // default: the scheduler's thread
 *     .start(t -> show(t.seq(), t.item()));    // every tick once, in order
 * ...
 * System.out.println(stream.stats());          // duplicatesDropped=3, reordered=17, ...
 * stream.close();                              // closes the source's connection too
 * }</pre>
 *
 * <h2>Threads</h2>
 *
 * <p>The consumer is called one item at a time, never concurrently, on the
 * {@linkplain Builder#executor(Executor) executor} if one is given, else as tasks on the
 * {@linkplain Builder#scheduler(Scheduler) scheduler} (by default one daemon thread shared by all
 * resumable streams, which also runs their timers: give a slow consumer an executor of its own).
 * The source's callbacks may come from any thread. Gap timers and reconnects run on the
 * scheduler, the first {@code open} on the thread that calls {@link Builder#start(Consumer)}.
 *
 * <h2>Guarantees and their limits</h2>
 *
 * <ul>
 *   <li>Exactly once and in order within one stream object: the stream remembers the next number
 *       it expects, nothing across process restarts. To survive one, store the last sequence
 *       number processed and start the new stream {@link Builder#fromSeq(long) fromSeq} it + 1.
 *   <li>A gap is seen only when a later item arrives: a lost last item stays missing until
 *       something follows it or the connection fails. Detecting a silent connection is the
 *       transport's job (an idle timeout reported as a failure).
 *   <li>Memory is bounded by the window for held items. Items already released wait for the
 *       consumer in an unbounded queue: a consumer slower than the source needs flow control in
 *       the transport.
 *   <li>It relies on the server: consecutive sequence numbers, resuming from any number it may
 *       be asked for, and retransmitting a range (see {@link SequencedSource}).
 * </ul>
 *
 * <p>The stream ends when closed ({@link #done()} completes normally), when the consumer throws
 * (completes with that exception, the source is closed) or when its connections keep failing
 * without delivering anything new until the reconnect policy's {@code maxAttempts} is spent
 * (completes with {@link ReconnectsExhaustedException} once the items already released have been
 * delivered).
 *
 * @param <T> the payload type
 */
public final class ResumableStream<T> implements AutoCloseable {
  /** Default {@link Builder#window(int)}: 1024 sequence numbers. */
  public static final int DEFAULT_WINDOW = 1024;
  /** The largest {@link Builder#window(int)}: 1 048 576 (2^20) sequence numbers. */
  public static final int MAX_WINDOW = 1 << 20;
  /** Default {@link Builder#gapTimeout(Duration)}: 200 ms. */
  public static final Duration DEFAULT_GAP_TIMEOUT = Duration.ofMillis(200);
  /**
   * Default {@link Builder#reconnectBackoff(RetryPolicy)}: 100 ms doubling to at most 5 s, equal
   * jitter, no limit on attempts (the stream keeps trying until closed).
   */
  public static final RetryPolicy DEFAULT_RECONNECT_BACKOFF = RetryPolicy.builder()
      .maxAttempts(Integer.MAX_VALUE)
      .initialBackoff(Duration.ofMillis(100))
      .multiplier(2.0)
      .maxBackoff(Duration.ofSeconds(5))
      .jitter(Jitter.equal())
      .build();

  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

  private final ResumeEngine<T> engine;

  private ResumableStream(ResumeEngine<T> engine) {
    this.engine = engine;
  }

  /** A builder reading {@code source}, with the defaults. */
  public static <T> Builder<T> builder(SequencedSource<T> source) {
    return new Builder<>(Objects.requireNonNull(source, "source"));
  }

  /** A snapshot of what the stream has done so far. */
  public ResumableStreamStats stats() {
    return engine.stats();
  }

  /**
   * The next sequence number to deliver: the last delivered + 1, or {@link Builder#fromSeq(long)
   * fromSeq} before the first. A new connection resumes from it.
   */
  public long nextSeq() {
    return engine.nextSeq();
  }

  /**
   * Completes when the stream has ended: normally after {@link #close()}, exceptionally with the
   * consumer's exception or a {@link ReconnectsExhaustedException}. Completing the returned future
   * does not affect the stream.
   */
  public CompletableFuture<Void> done() {
    CompletableFuture<Void> mirror = new CompletableFuture<>();
    engine.done().whenComplete((v, t) -> {
      if (t == null) {
        mirror.complete(null);
      } else {
        mirror.completeExceptionally(t); // as is: not wrapped in a CompletionException
      }
    });
    return mirror;
  }

  /**
   * Stops the stream: closes the source's connection, cancels its timers and drops the items not
   * yet handed to the consumer (a consumer call already running finishes). Nothing is delivered
   * afterwards. Idempotent; may be called from the consumer.
   */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "ResumableStream{nextSeq=" + nextSeq() + ", " + stats() + "}";
  }

  /**
   * Configures and starts a {@link ResumableStream}. Each setter validates its argument at once
   * (NPE for null, IAE for a bad value).
   *
   * @param <T> the payload type
   */
  public static final class Builder<T> {
    private final SequencedSource<T> source;
    private int window = DEFAULT_WINDOW;
    private Duration gapTimeout = DEFAULT_GAP_TIMEOUT;
    private RetryPolicy reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
    private long fromSeq;
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Executor executor;

    private Builder(SequencedSource<T> source) {
      this.source = source;
    }

    /**
     * How far ahead of the next expected number an item is accepted and held (default
     * {@value ResumableStream#DEFAULT_WINDOW}, at most {@value ResumableStream#MAX_WINDOW}): the
     * numbers {@code next .. next+window-1}. The held items are the stream's only buffer of
     * out-of-order items; an item beyond it ends the connection (see the class description).
     * Size it to cover what the source sends during a gap timeout plus a retransmit's round trip.
     */
    public Builder<T> window(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("window: " + window + " (expected: >= 1)");
      }
      if (window > MAX_WINDOW) {
        throw new IllegalArgumentException(
            "window: " + window + " (expected: <= " + MAX_WINDOW + ")");
      }
      this.window = window;
      return this;
    }

    /**
     * How long a missing number may stay missing, after a later item revealed the gap, before
     * the stream asks for it with {@code requestRetransmit} (default 200 ms); the request is
     * repeated every {@code gapTimeout} while it stays missing. Also the grace a new connection
     * gets to resend what is missing before it is asked for. Must be positive; longer than the
     * transport's usual reordering, or the stream asks for items that were only late.
     */
    public Builder<T> gapTimeout(Duration gapTimeout) {
      Objects.requireNonNull(gapTimeout, "gapTimeout");
      if (gapTimeout.isNegative() || gapTimeout.isZero()) {
        throw new IllegalArgumentException("gapTimeout: " + gapTimeout + " (expected: > 0)");
      }
      this.gapTimeout = gapTimeout;
      return this;
    }

    /**
     * The waits between reconnects and their limit (default
     * {@link ResumableStream#DEFAULT_RECONNECT_BACKOFF}: 100 ms doubling to 5 s, equal jitter, no
     * limit). The {@code n}-th reconnect since the stream last delivered an item waits
     * {@code policy.backoffNanos(n, previousWait, random)}, so the waits start over once a
     * connection delivers. The policy's {@code maxAttempts} counts like a call's (the first
     * connection and its reconnects): when the {@code n}-th reconnect in a row would reach it,
     * the stream gives up with {@link ReconnectsExhaustedException}; {@link RetryPolicy#noRetries()}
     * never reconnects.
     */
    public Builder<T> reconnectBackoff(RetryPolicy policy) {
      this.reconnectBackoff = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The first sequence number wanted (default 0): the first connection opens from it, and
     * items below it are dropped as duplicates. Set it to resume a stream a previous process
     * delivered up to {@code fromSeq - 1}.
     */
    public Builder<T> fromSeq(long fromSeq) {
      if (fromSeq < 0) {
        throw new IllegalArgumentException("fromSeq: " + fromSeq + " (expected: >= 0)");
      }
      this.fromSeq = fromSeq;
      return this;
    }

    /**
     * The time source of gap timeouts (default the system ticker). Use the same fake as the
     * scheduler's to run on virtual time.
     */
    public Builder<T> ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Where gap timers, reconnects and (without an {@link #executor(Executor) executor}) the
     * consumer run (default a daemon thread named {@code keel-resume-scheduler}, shared by all
     * resumable streams).
     */
    public Builder<T> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The source of uniform numbers in [0, 1) for reconnect jitter (default thread-local random). */
    public Builder<T> random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Where the consumer runs (default none: as delay-0 tasks on the
     * {@link #scheduler(Scheduler) scheduler}). Items are handed over in order, one drain task at
     * a time, so any executor keeps the order and never calls the consumer concurrently; a
     * direct executor ({@code Runnable::run}) delivers on the thread that brought the item,
     * where the consumer must not block. An executor that refuses a task
     * ({@link java.util.concurrent.RejectedExecutionException}) ends the stream.
     */
    public Builder<T> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Opens the first connection, on this thread, and returns the running stream. The builder
     * may be used again for another stream.
     *
     * @param consumer receives every item once, in sequence order
     */
    public ResumableStream<T> start(Consumer<? super Sequenced<T>> consumer) {
      Objects.requireNonNull(consumer, "consumer");
      long gapNanos = gapTimeout.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : gapTimeout.toNanos();
      Settings settings = new Settings(window, gapNanos, reconnectBackoff, fromSeq, ticker,
          scheduler != null ? scheduler : ResumeScheduler.shared(), random, executor);
      ResumeEngine<T> engine = new ResumeEngine<>(source, settings, consumer);
      engine.start();
      return new ResumableStream<>(engine);
    }
  }
}

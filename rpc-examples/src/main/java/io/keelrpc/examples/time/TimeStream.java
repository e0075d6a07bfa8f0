package io.keelrpc.examples.time;

import io.keelrpc.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The updates of one time stream and when each is due, independent of how they reach the client.
 * Update {@code n} is due {@code n x UpdateInterval} after the stream started (update 0 at once)
 * and is final when {@code n x UpdateInterval >= Duration} (never, for {@code Duration} 0), so a
 * stream of {@code {UpdateInterval: 1, Duration: 3}} has updates 0, 1, 2 and 3, the last final —
 * the seed's rule.
 *
 * <pre>{@code
 * TimeStream s = TimeStream.start(new TimeRequest(1L, 3L), ticker, clock);
 * long n = s.claim();                       // 0, then 1, 2, 3; -1 past the final one
 * scheduler.schedule(() -> send(s.update(n)), s.delayNanos(n));
 * }</pre>
 *
 * <p>{@link TimeService} hands the updates out one call at a time, as the seed's Go client fetches
 * them; a {@code keel/1} server stream, once {@code keel/1} has streaming calls, pushes the same
 * updates at the same times from a handler that loops over {@link #claim()}. Thread-safe.
 */
public final class TimeStream {
  /** Largest {@code UpdateInterval} accepted: one day. */
  public static final long MAX_INTERVAL_SECONDS = 86_400;

  private static final DateTimeFormatter TIME_STRING =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final Ticker ticker;
  private final Clock clock;
  private final long startNanos;
  private final long intervalNanos;
  private final long finalSequence;
  private long next; // guarded by this

  private TimeStream(Ticker ticker, Clock clock, long intervalSeconds, long durationSeconds,
      long fromSequence) {
    this.ticker = ticker;
    this.clock = clock;
    this.intervalNanos = Duration.ofSeconds(intervalSeconds).toNanos();
    // Resumed at fromSequence: that update is due now, the later ones paced from it.
    this.startNanos = ticker.nanoTime() - fromSequence * intervalNanos;
    this.finalSequence = durationSeconds == 0 ? Long.MAX_VALUE
        : (durationSeconds + intervalSeconds - 1) / intervalSeconds;
    this.next = fromSequence;
  }

  /**
   * Starts a stream now.
   *
   * @throws io.keelrpc.core.ApplicationException {@link TimeErrors#INVALID_PARAMETERS} if
   *     {@code UpdateInterval} is missing or outside 1..{@value #MAX_INTERVAL_SECONDS}, or
   *     {@code Duration} is negative
   */
  public static TimeStream start(TimeRequest request, Ticker ticker, Clock clock) {
    return resume(request, 0, ticker, clock);
  }

  /**
   * Starts a stream now whose first update is {@code fromSequence}, due at once: how a client that
   * lost its connection picks the stream up where it left off.
   *
   * @throws io.keelrpc.core.ApplicationException {@link TimeErrors#INVALID_PARAMETERS} as
   *     {@link #start}, or if {@code fromSequence} is negative
   */
  public static TimeStream resume(TimeRequest request, long fromSequence, Ticker ticker,
      Clock clock) {
    Objects.requireNonNull(request, "request");
    if (fromSequence < 0) {
      throw TimeErrors.invalidParameters("FromSeq: " + fromSequence + " (expected: >= 0)");
    }
    Long interval = request.updateInterval();
    if (interval == null || interval < 1 || interval > MAX_INTERVAL_SECONDS) {
      throw TimeErrors.invalidParameters("UpdateInterval: " + (interval == null ? "missing"
          : interval) + " (expected: 1.." + MAX_INTERVAL_SECONDS + " seconds)");
    }
    long duration = request.duration() == null ? 0 : request.duration();
    if (duration < 0) {
      throw TimeErrors.invalidParameters("Duration: " + duration
          + " (expected: >= 0 seconds, 0 for a stream without end)");
    }
    return new TimeStream(Objects.requireNonNull(ticker, "ticker"),
        Objects.requireNonNull(clock, "clock"), interval, duration, fromSequence);
  }

  /** Takes the next sequence number to deliver; -1 once the final one was taken. */
  public synchronized long claim() {
    if (next > finalSequence) {
      return -1;
    }
    return next++;
  }

  /**
   * Gives back {@code sequence} if it is the last one claimed (its delivery was cancelled), so the
   * next claim takes it again and the stream stays without gaps.
   */
  public synchronized void unclaim(long sequence) {
    if (sequence == next - 1) {
      next--;
    }
  }

  /** Nanoseconds from now until update {@code sequence} is due; 0 if it is due already. */
  public long delayNanos(long sequence) {
    long due = startNanos + sequence * intervalNanos;
    return Math.max(0, due - ticker.nanoTime());
  }

  /** Update {@code sequence}, stamped with the clock's time now. */
  public TimeResponse update(long sequence) {
    Instant now = clock.instant();
    return new TimeResponse(now.getEpochSecond(), TIME_STRING.format(now.atZone(clock.getZone())),
        sequence, sequence == finalSequence);
  }

  /** The sequence number of the final update; {@code Long.MAX_VALUE} for a stream without end. */
  public long finalSequence() {
    return finalSequence;
  }
}

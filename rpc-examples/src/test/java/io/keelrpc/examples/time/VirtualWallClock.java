package io.keelrpc.examples.time;

import io.keelrpc.core.time.FakeClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock that starts at a fixed instant and moves with a {@link FakeClock}. */
final class VirtualWallClock extends Clock {
  /** The wall time when the fake clock was created: 2024-06-10T06:13:20Z. */
  static final Instant START = Instant.ofEpochSecond(1_718_000_000L);

  private final FakeClock ticker;
  private final long originNanos;

  VirtualWallClock(FakeClock ticker) {
    this.ticker = ticker;
    this.originNanos = ticker.nanoTime();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("UTC only");
  }

  @Override
  public Instant instant() {
    return START.plusNanos(ticker.nanoTime() - originNanos);
  }
}

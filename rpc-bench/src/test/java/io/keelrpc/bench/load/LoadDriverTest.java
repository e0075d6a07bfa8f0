package io.keelrpc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.bench.echo.EchoClient;
import io.keelrpc.bench.echo.EchoServer;
import io.keelrpc.bench.echo.Impl;
import io.keelrpc.bench.echo.Payload;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short in-process runs of the driver against the raw echo, and the RESULT line format. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadDriverTest {
  private static final Duration WARMUP = Duration.ofMillis(200);
  private static final Duration WINDOW = Duration.ofMillis(500);

  @Test
  void closedLoopCountsOnlyTheWindowAndReportsPercentiles() throws Exception {
    try (EchoServer server = Impl.RAW.startServer(0, false);
        EchoClient client = Impl.RAW.connect("127.0.0.1", server.port())) {
      LoadDriver driver = new LoadDriver("raw", client);
      RunResult r = driver.run(Payload.ofSize(64), LoadDriver.Settings.closed(4, WARMUP, WINDOW));
      assertThat(driver.firstError()).isNull();
      assertThat(r.errors()).isZero();
      assertThat(r.calls()).isPositive();
      assertThat(r.callsPerSecond()).isEqualTo(r.calls() / 0.5);
      assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p99());
      assertThat(r.p99()).isLessThanOrEqualTo(r.p999()).isLessThanOrEqualTo(r.max());
      assertThat(r.line()).startsWith("RESULT impl=raw mode=closed c=4 payload=64 rate=- ");
    }
  }

  @Test
  void openLoopSendsOnScheduleAndCountsCallsByIntendedTime() throws Exception {
    try (EchoServer server = Impl.RAW.startServer(0, false);
        EchoClient client = Impl.RAW.connect("127.0.0.1", server.port())) {
      LoadDriver driver = new LoadDriver("raw", client);
      RunResult r = driver.run(Payload.ofSize(4096), LoadDriver.Settings.open(2_000, 10_000, WARMUP, WINDOW));
      assertThat(driver.firstError()).isNull();
      assertThat(r.errors()).isZero();
      // 2 000/s for 0.5 s: exactly 1 000 intended sends fall in the window, all answered.
      assertThat(r.calls()).isEqualTo(1_000);
      assertThat(r.rate()).isEqualTo(2_000);
      assertThat(r.line()).contains(" mode=open c=- payload=4096 rate=2000 ");
    }
  }

  @Test
  void openLoopSkipsSendsBeyondTheOutstandingCapAndCountsThemAsErrors() throws Exception {
    // A client that never answers: every send stays outstanding.
    EchoClient silent = new EchoClient() {
      @Override
      public void call(Payload payload, Listener listener) {}

      @Override
      public void close() {}
    };
    LoadDriver driver = new LoadDriver("silent", silent);
    RunResult r = driver.run(Payload.ofSize(8), new LoadDriver.Settings(LoadDriver.Mode.open, 0,
        1_000, 10, Duration.ZERO, 0, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(50)));
    assertThat(r.dropped()).isEqualTo(90);
    assertThat(r.errors()).isEqualTo(100); // 90 dropped + 10 never answered
    assertThat(r.calls()).isZero();
    assertThat(driver.firstError()).isNotNull();
  }

  @Test
  void warmUpLastsUntilEnoughCallsWereSent() throws Exception {
    try (EchoServer server = Impl.RAW.startServer(0, false);
        EchoClient client = Impl.RAW.connect("127.0.0.1", server.port())) {
      // 1 000/s and 300 warm-up calls: the warm-up takes 300 ms, not the minimum 100 ms.
      RunResult r = new LoadDriver("raw", client).run(Payload.ofSize(64), new LoadDriver.Settings(
          LoadDriver.Mode.open, 0, 1_000, 10_000, Duration.ofMillis(100), 300,
          Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(5)));
      assertThat(r.warmup()).isEqualTo(Duration.ofMillis(300));
      assertThat(r.warmupCalls()).isEqualTo(300);
      assertThat(r.calls()).isEqualTo(200);
    }
  }

  @Test
  void closedLoopWarmUpWaitsForItsCalls() throws Exception {
    try (EchoServer server = Impl.RAW.startServer(0, false);
        EchoClient client = Impl.RAW.connect("127.0.0.1", server.port())) {
      RunResult r = new LoadDriver("raw", client).run(Payload.ofSize(64), new LoadDriver.Settings(
          LoadDriver.Mode.closed, 2, 0, 1, Duration.ZERO, 2_000, Duration.ofSeconds(10),
          Duration.ofMillis(200), Duration.ofSeconds(5)));
      assertThat(r.warmupCalls()).isGreaterThanOrEqualTo(2_000);
      assertThat(r.errors()).isZero();
      assertThat(r.calls()).isPositive();
    }
  }

  @Test
  void resultLinesRoundTrip() {
    RunResult r = new RunResult("keel-cache", "closed", 64, 4096, 0, Duration.ofSeconds(2),
        20_000, Duration.ofSeconds(5), 1000, 200, 10, 20, 30, 40, 50, 1, 0, Duration.ofSeconds(8),
        300_000);
    RunResult back = RunResult.parse(r.line());
    assertThat(back).isEqualTo(r);
    assertThatThrownBy(() -> RunResult.parse("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsParseInTheUsualShorthands() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationConverter.parse("3")).isEqualTo(Duration.ofSeconds(3));
    assertThat(DurationConverter.parse("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationConverter.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
  }
}

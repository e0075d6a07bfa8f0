package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON object per line, UTC timestamps with milliseconds, the seed's field names. */
class JsonLinesCallLogFormatTest {
  private static final Clock AT_123 =
      Clock.fixed(Instant.parse("2026-01-15T10:30:00.123Z"), ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder();

  private JsonLinesCallLog httpLog() {
    return JsonLinesCallLog.to(out).fieldNames(FieldNames.HTTP).clock(AT_123).build();
  }

  @Test
  void successLineHasTheSeedsFields() {
    httpLog().onSuccess(new SuccessEvent("http://h/get", 1, 200, Duration.ofNanos(45_230_000), null));

    assertThat(out).hasToString("{\"timestamp\":\"2026-01-15T10:30:00.123Z\",\"event\":\"success\","
        + "\"url\":\"http://h/get\",\"status\":200,\"latency_ms\":45.2,\"attempt\":1}\n");
  }

  @Test
  void timestampAlwaysHasMillisecondsAndIsUtc() {
    Clock wholeSecondInParis = Clock.fixed(Instant.parse("2026-01-15T10:30:00Z"),
        ZoneOffset.ofHours(1));
    JsonLinesCallLog log = JsonLinesCallLog.to(out).clock(wholeSecondInParis).build();

    log.onRetry(new RetryEvent("inc", 2, ms(200), Outcome.Kind.SERVER_ERROR));

    assertThat(out).hasToString("{\"timestamp\":\"2026-01-15T10:30:00.000Z\",\"event\":\"retry\","
        + "\"method\":\"inc\",\"attempt\":2,\"wait_ms\":200.0,\"reason\":\"server_error\"}\n");
  }

  @Test
  void everyEventTypeHasItsLine() {
    JsonLinesCallLog log = httpLog();
    log.onSlowResponse(new SlowResponseEvent("u", 1, ms(623), ms(500)));
    log.onClientError(new ClientErrorEvent("u", 1, 404, "HTTP 404", ms(3), null, null));
    log.onServerError(new ServerErrorEvent("u", 1, 503, "HTTP 503", ms(4), true, null, null));
    log.onTimeout(new TimeoutEvent("u", 2, ms(250), "no answer", true, null));
    log.onConnectionError(new ConnectionErrorEvent("u", 3, "Connection refused", ms(1), true,
        null));
    log.onRetriesExhausted(new RetriesExhaustedEvent("u", 4, Outcome.Kind.SERVER_ERROR, 503,
        "HTTP 503", RetriesExhaustedEvent.Reason.MAX_ATTEMPTS));

    String t = "{\"timestamp\":\"2026-01-15T10:30:00.123Z\",";
    assertThat(out.toString().split("\n")).containsExactly(
        t + "\"event\":\"slow_response\",\"url\":\"u\",\"latency_ms\":623.0,"
            + "\"threshold_ms\":500.0,\"attempt\":1}",
        t + "\"event\":\"client_error\",\"url\":\"u\",\"status\":404,\"attempt\":1,"
            + "\"latency_ms\":3.0,\"message\":\"HTTP 404\"}",
        t + "\"event\":\"server_error\",\"url\":\"u\",\"status\":503,\"attempt\":1,"
            + "\"latency_ms\":4.0,\"retryable\":true,\"message\":\"HTTP 503\"}",
        t + "\"event\":\"timeout\",\"url\":\"u\",\"attempt\":2,\"timeout_ms\":250.0,"
            + "\"retryable\":true,\"message\":\"no answer\"}",
        t + "\"event\":\"connection_error\",\"url\":\"u\",\"attempt\":3,\"latency_ms\":1.0,"
            + "\"retryable\":true,\"error\":\"Connection refused\"}",
        t + "\"event\":\"retries_exhausted\",\"url\":\"u\",\"status\":503,\"attempts\":4,"
            + "\"last_error\":\"HTTP 503\",\"reason\":\"max_attempts\"}");
  }

  @Test
  void extensionEventsGetTheSameFrame() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("keyword", "Herman");
    fields.put("offset", 42);
    fields.put("score", 0.5);
    fields.put("exact", true);
    httpLog().write("body_match", "http://h/html", fields);

    assertThat(out).hasToString("{\"timestamp\":\"2026-01-15T10:30:00.123Z\","
        + "\"event\":\"body_match\",\"url\":\"http://h/html\",\"keyword\":\"Herman\","
        + "\"offset\":42,\"score\":0.5,\"exact\":true}\n");
  }

  @Test
  void stringsAreEscaped() {
    httpLog().onClientError(new ClientErrorEvent("u\"1", 1, null, "line\nbreak", ms(1), null,
        null));

    assertThat(out.toString()).contains("\"url\":\"u\\\"1\"", "\"message\":\"line\\nbreak\"")
        .doesNotContain("\"status\"");
    assertThat(out.toString().indexOf('\n')).isEqualTo(out.length() - 1);
  }

  @Test
  void logsACallAsItRunsIntoAFile(@TempDir Path dir) throws IOException {
    FakeClock clock = new FakeClock();
    Path file = dir.resolve("calls.jsonl");
    AtomicInteger n = new AtomicInteger();
    try (JsonLinesCallLog log = JsonLinesCallLog.toFile(file).fieldNames(FieldNames.HTTP)
        .clock(AT_123).build()) {
      Resilience r = onVirtualTime(clock, log).build();
      CompletableFuture<Reply> f = r.execute("http://h/status/503", BY_STATUS,
          () -> CompletableFuture.completedFuture(new Reply(n.incrementAndGet() == 1 ? 503 : 200)));
      clock.advance(ms(50));
      assertThat(f).isCompletedWithValue(new Reply(200));
    }

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .extracting(line -> line.replaceAll("\"timestamp\":\"[^\"]+\",", ""))
        .containsExactly(
            "{\"event\":\"server_error\",\"url\":\"http://h/status/503\",\"status\":503,"
                + "\"attempt\":1,\"latency_ms\":0.0,\"retryable\":true,\"message\":\"HTTP 503\"}",
            "{\"event\":\"retry\",\"url\":\"http://h/status/503\",\"attempt\":2,\"wait_ms\":50.0,"
                + "\"reason\":\"server_error\"}",
            "{\"event\":\"success\",\"url\":\"http://h/status/503\",\"status\":200,"
                + "\"latency_ms\":0.0,\"attempt\":2}");
  }
}

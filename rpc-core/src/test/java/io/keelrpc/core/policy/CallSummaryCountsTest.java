package io.keelrpc.core.policy;

import static io.keelrpc.core.policy.PolicyFixtures.BY_STATUS;
import static io.keelrpc.core.policy.PolicyFixtures.after;
import static io.keelrpc.core.policy.PolicyFixtures.ms;
import static io.keelrpc.core.policy.PolicyFixtures.never;
import static io.keelrpc.core.policy.PolicyFixtures.onVirtualTime;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.policy.PolicyFixtures.Reply;
import io.keelrpc.core.time.FakeClock;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary counts calls, requests, retries, latency and how calls ended. */
class CallSummaryCountsTest {
  private final FakeClock clock = new FakeClock();
  private final CallSummary summary = CallSummary.create(FieldNames.HTTP);
  private final Resilience resilience = onVirtualTime(clock, summary)
      .perAttemptTimeout(ms(1000)).slowCallThreshold(ms(500)).build();

  private void run(String name, IntFunction<CompletionStage<Reply>> script) {
    AtomicInteger n = new AtomicInteger();
    resilience.execute(name, BY_STATUS, () -> script.apply(n.incrementAndGet()));
    clock.advance(ms(10_000));
  }

  /** Fast 200, slow 200, 404, 503 then 200, always 500, timeout then 200, refused always. */
  private void runTheMix() {
    run("fast", n -> after(clock, ms(100), new Reply(200)));
    run("slow", n -> after(clock, ms(700), new Reply(200)));
    run("404", n -> after(clock, ms(100), new Reply(404)));
    run("503", n -> after(clock, ms(100), new Reply(n == 1 ? 503 : 200)));
    run("500", n -> after(clock, ms(100), new Reply(500)));
    run("hang", n -> n == 1 ? never() : after(clock, ms(100), new Reply(200)));
    run("refused", n -> CompletableFuture.failedFuture(new ConnectException("refused")));
  }

  @Test
  void countsEachKindOfOutcome() {
    runTheMix();

    CallSummary.Snapshot s = summary.snapshot();
    assertThat(s.total()).isEqualTo(7);
    assertThat(s.successful()).isEqualTo(4);
    assertThat(s.failed()).isEqualTo(3);
    // 1 + 1 + 1 + 2 + 4 + 2 + 4
    assertThat(s.totalRequests()).isEqualTo(15);
    assertThat(s.retries()).isEqualTo(8);
    assertThat(s.slowResponses()).isEqualTo(1);
    // answered attempts: 100, 700, 100, 100+100, 4 x 100, 100 -> 1600 / 10
    assertThat(s.avgLatencyMs()).isEqualTo(160.0);
    assertThat(s.byCode()).containsExactly(Map.entry("200", 4L), Map.entry("404", 1L),
        Map.entry("500", 1L));
    assertThat(s.byError()).containsExactly(Map.entry("connection", 1L));
  }

  @Test
  void jsonHasTheSeedsShape(@TempDir Path dir) throws IOException {
    runTheMix();
    Path file = dir.resolve("summary.json");

    summary.writeTo(file);

    assertThat(Files.readString(file)).isEqualTo("""
        {
            "total_urls": 7,
            "successful": 4,
            "failed": 3,
            "total_requests": 15,
            "retries": 8,
            "avg_latency_ms": 160.0,
            "slow_responses": 1,
            "by_status": {
                "200": 4,
                "404": 1,
                "500": 1
            },
            "by_error": {
                "connection": 1
            }
        }
        """);
  }

  @Test
  void emptySummaryHasZeroes() {
    CallSummary.Snapshot s = CallSummary.create().snapshot();

    assertThat(s.total()).isZero();
    assertThat(s.avgLatencyMs()).isZero();
    assertThat(CallSummary.create().toJson()).contains("\"total_calls\": 0", "\"by_code\": { }");
  }
}

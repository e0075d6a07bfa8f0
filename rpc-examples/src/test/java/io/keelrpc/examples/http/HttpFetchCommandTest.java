package io.keelrpc.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.examples.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http-fetch} command: log, summary, validation, and the budget demo's numbers. */
class HttpFetchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesTheLogAndTheSummaryAndValidates(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("fetch.jsonl");
    Path summary = dir.resolve("summary.json");

    CommandRunner.Execution run = CommandRunner.execute("http-fetch", "--count", "20",
        "--timeout-ms", "500", "--slow-delays", "0.15", "--slow-threshold-ms", "100",
        "--max-attempts", "2", "--initial-backoff-ms", "5", "--concurrency", "16",
        "--log", log.toString(), "--summary", summary.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("\"total_urls\": ").contains("# validation: ");
    HttpFetchCommand cmd = run.subcommand("http-fetch");
    assertThat(cmd.validation().failed()).isZero();

    JsonNode s = JSON.readTree(summary.toFile());
    assertThat(s.get("total_urls").asInt()).isEqualTo(cmd.validation().total());
    assertThat(s.get("by_error").get("timeout").asInt()).isEqualTo(1);
    assertThat(s.get("by_error").get("connection").asInt()).isEqualTo(1);

    List<String> lines = Files.readAllLines(log);
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.get("timestamp").asText())
          .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
      assertThat(event.get("event").asText()).isIn("success", "slow_response", "client_error",
          "server_error", "timeout", "connection_error", "retry", "retries_exhausted",
          "body_match");
      assertThat(event.get("url").asText()).startsWith("http://127.0.0.1:");
    }
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"body_match\"",
        "\"keyword\":\"Herman\""));
  }

  @Test
  void budgetDemoShowsTheBoundOnADeadEndpoint() {
    CommandRunner.Execution run = CommandRunner.execute("http-fetch", "--budget-demo", "20");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("| /status/503 | no retries | 20 | 0.0% | 20 | 1.00 |")
        .contains("| /status/503 | retries | 20 | 0.0% | 80 | 4.00 |")
        // 20 tokens: 4 + 4 + 2 requests, then one per call
        .contains("| /status/503 | retries + budget | 20 | 0.0% | 27 | 1.35 |");
  }

  @Test
  void slowDelaysMustStayBelowTheTimeout() {
    CommandRunner.Execution run = CommandRunner.execute("http-fetch", "--timeout-ms", "1000",
        "--slow-delays", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(
        "--slow-delays: 1.0 (expected: > 0 and below --timeout-ms 1000 ms)");
  }
}

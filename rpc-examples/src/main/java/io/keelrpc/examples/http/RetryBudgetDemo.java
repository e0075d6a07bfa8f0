package io.keelrpc.examples.http;

import io.keelrpc.core.policy.CallSummary;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When retries help and when they harm, measured: sequential fetches of a flaky or a dead
 * endpoint of a {@link LocalHttpServer}, with no retries, with retries (4 attempts), and with
 * retries under the default {@link RetryBudget}. Each run gets a fresh server with the same seed,
 * so the server's decisions are the same sequence and the numbers replay exactly.
 *
 * <pre>{@code
 * for (RetryBudgetDemo.Row row : RetryBudgetDemo.run(200, 42)) {
 *   System.out.println(row);
 * }
 * }</pre>
 */
public final class RetryBudgetDemo {
  /**
   * One run.
   *
   * @param endpoint what was fetched, e.g. {@code /flaky/20} (503 for 20% of requests)
   * @param mode {@code no retries}, {@code retries} or {@code retries + budget}
   * @param calls logical calls made
   * @param successful calls that ended with a 2xx
   * @param requests HTTP requests the server received
   */
  public record Row(String endpoint, String mode, int calls, long successful, long requests) {
    /** Successful calls in percent. */
    public double successPercent() {
      return 100.0 * successful / calls;
    }

    /** Requests per logical call: the load a call puts on the server. */
    public double requestsPerCall() {
      return (double) requests / calls;
    }

    /** The row as a Markdown table row. */
    public String toMarkdown() {
      return String.format(java.util.Locale.ROOT, "| %s | %s | %d | %.1f%% | %d | %.2f |",
          endpoint, mode, calls, successPercent(), requests, requestsPerCall());
    }
  }

  /** The header of {@link Row#toMarkdown()}'s table. */
  public static final String MARKDOWN_HEADER =
      "| endpoint | client | calls | succeeded | requests | requests/call |\n"
          + "|---|---|---|---|---|---|";

  private static final List<String> ENDPOINTS = List.of("/flaky/20", "/flaky/50", "/status/503");

  private RetryBudgetDemo() {}

  /**
   * Runs every endpoint with every client: {@code calls} sequential fetches each.
   *
   * @param seed the seed of the flaky endpoints' decisions
   */
  public static List<Row> run(int calls, long seed) {
    List<Row> rows = new ArrayList<>();
    for (String endpoint : ENDPOINTS) {
      rows.add(run(endpoint, "no retries", RetryPolicy.noRetries(), RetryBudget.unlimited(), calls,
          seed));
      rows.add(run(endpoint, "retries", fourAttempts(), RetryBudget.unlimited(), calls, seed));
      rows.add(run(endpoint, "retries + budget", fourAttempts(), RetryBudget.ofDefaults(), calls,
          seed));
    }
    return rows;
  }

  /** 4 attempts, 1 ms initial backoff: short, so the demo measures load, not waiting. */
  private static RetryPolicy fourAttempts() {
    return RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(10)).jitter(Jitter.none()).build();
  }

  private static Row run(String endpoint, String mode, RetryPolicy policy, RetryBudget budget,
      int calls, long seed) {
    try (LocalHttpServer server = LocalHttpServer.start(seed)) {
      RobustHttpClient client = RobustHttpClient.builder()
          .retryPolicy(policy)
          .retryBudget(budget)
          .timeout(Duration.ofSeconds(5))
          .build();
      for (int i = 0; i < calls; i++) {
        client.fetch(server.baseUrl() + endpoint + "?_id=" + i).join();
      }
      CallSummary.Snapshot s = client.summary().snapshot();
      String segment = endpoint.substring(1, endpoint.indexOf('/', 1));
      return new Row(endpoint, mode, calls, s.successful(), server.requests(segment));
    }
  }
}

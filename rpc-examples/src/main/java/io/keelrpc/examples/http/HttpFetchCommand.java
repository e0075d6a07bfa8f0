package io.keelrpc.examples.http;

import io.keelrpc.core.policy.CallSummary;
import io.keelrpc.core.policy.FieldNames;
import io.keelrpc.core.policy.JsonLinesCallLog;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.examples.HelpOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code http-fetch}: seed 001's robust HTTP client on Keel's transport-agnostic policies. Starts
 * a {@link LocalHttpServer}, fetches the {@link UrlProvider}'s URLs with a
 * {@link RobustHttpClient}, writes the JSON-lines log and the summary file, prints the summary
 * and the {@link ResponseValidator}'s verdict, and exits 0 if every URL fired its required
 * callbacks. With {@code --budget-demo N} it instead measures when retries help and when they
 * harm ({@link RetryBudgetDemo}).
 */
@Command(
    name = "http-fetch",
    description = {
        "Seed 001's robust HTTP client: fetches test URLs (fast and slow 200s, 4xx, 5xx, "
            + "timeouts, a body keyword, a refused connection) from a local httpbin-like server "
            + "with retries, jittered exponential backoff and per-outcome callbacks; writes one "
            + "JSON line per callback and a summary file, prints the summary and validates the "
            + "callbacks of every URL as the seed's ResponseValidator does (exit 1 if any is "
            + "missing).",
        "With --budget-demo N: makes N sequential calls to a flaky (20%%, 50%% 503s) and a dead "
            + "endpoint without retries, with retries, and with retries under the default retry "
            + "budget, and prints a Markdown table of success rates and requests per call."})
public final class HttpFetchCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--count", defaultValue = "50", paramLabel = "N",
      description = "URLs to generate, as the seed's URLProvider (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
      description = "Seed of the URL mix and of the flaky endpoints (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--concurrency", defaultValue = "8", paramLabel = "C",
      description = "Fetches in flight at once (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--timeout-ms", defaultValue = "2500", paramLabel = "MS",
      description = "Per-attempt timeout (default: ${DEFAULT-VALUE}; the seed's is 5000).")
  private long timeoutMs;

  @Option(names = "--slow-threshold-ms", defaultValue = "500", paramLabel = "MS",
      description = "Successes slower than this also fire on_slow_response "
          + "(default: ${DEFAULT-VALUE}).")
  private long slowThresholdMs;

  @Option(names = "--slow-delays", split = ",", defaultValue = "1,2", paramLabel = "SECONDS",
      description = "Delays of the slow URLs, /delay/N (default: ${DEFAULT-VALUE}).")
  private List<Double> slowDelays;

  @Option(names = "--max-attempts", defaultValue = "4", paramLabel = "N",
      description = "Attempts per URL including the first (default: ${DEFAULT-VALUE}: the seed's "
          + "MAX_RETRIES = 3).")
  private int maxAttempts;

  @Option(names = "--initial-backoff-ms", defaultValue = "100", paramLabel = "MS",
      description = "Wait before the first retry, doubling after, plus up to 10%% jitter "
          + "(default: ${DEFAULT-VALUE}).")
  private long initialBackoffMs;

  @Option(names = "--log", defaultValue = "http-fetch.jsonl", paramLabel = "FILE",
      description = "The JSON-lines log (default: ${DEFAULT-VALUE}).")
  private Path logFile;

  @Option(names = "--summary", defaultValue = "http-fetch-summary.json", paramLabel = "FILE",
      description = "The summary file (default: ${DEFAULT-VALUE}).")
  private Path summaryFile;

  @Option(names = "--budget-demo", paramLabel = "N",
      description = "Instead of the URL run: N sequential calls per endpoint and client, and a "
          + "table of success rates and requests per call.")
  private Integer budgetDemoCalls;

  private ResponseValidator.Result validation;

  /** The validator's verdict of the last run, or null. */
  public ResponseValidator.Result validation() {
    return validation;
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    if (budgetDemoCalls != null) {
      out.println("# http-fetch --budget-demo: " + budgetDemoCalls + " sequential calls per row, "
          + "4 attempts when retrying, default budget (20 tokens, ratio 0.5), seed " + seed);
      out.println(RetryBudgetDemo.MARKDOWN_HEADER);
      for (RetryBudgetDemo.Row row : RetryBudgetDemo.run(budgetDemoCalls, seed)) {
        out.println(row.toMarkdown());
        out.flush();
      }
      return 0;
    }
    Duration timeout = Duration.ofMillis(timeoutMs);
    UrlProvider.Timing timing = new UrlProvider.Timing(slowDelays,
        (timeoutMs + Math.max(1000, timeoutMs / 2)) / 1000.0);
    try (LocalHttpServer server = LocalHttpServer.start(seed);
        JsonLinesCallLog log = JsonLinesCallLog.toFile(logFile).fieldNames(FieldNames.HTTP)
            .build()) {
      UrlProvider provider = new UrlProvider(server.baseUrl(), LocalHttpServer.unusedPort(), seed,
          count, timing);
      ResponseValidator validator = new ResponseValidator(provider);
      RobustHttpClient client = RobustHttpClient.builder()
          .timeout(timeout)
          .slowThreshold(Duration.ofMillis(slowThresholdMs))
          .retryPolicy(RobustHttpClient.DEFAULT_RETRY_POLICY.toBuilder()
              .maxAttempts(maxAttempts)
              .initialBackoff(Duration.ofMillis(initialBackoffMs))
              .maxBackoff(Duration.ofMillis(Math.max(5000, initialBackoffMs)))
              .jitter(Jitter.proportional(0.1))
              .build())
          .listener(log)
          .listener(HttpFetchListener.onBodyMatch(
              m -> log.write("body_match", m.url(), Map.of("keyword", m.keyword()))))
          .listener(validator)
          .build();
      out.println("# http-fetch: " + provider.total() + " URLs from " + server.baseUrl()
          + ", " + concurrency + " at a time, per-attempt timeout " + timeoutMs + " ms, "
          + maxAttempts + " attempts, slow above " + slowThresholdMs + " ms");
      out.flush();
      CallSummary.Snapshot s = client.fetchAll(provider, concurrency);
      client.summary().writeTo(summaryFile);
      out.println(client.summary().toJson());
      validation = validator.validate();
      out.println("# log: " + logFile + ", summary: " + summaryFile);
      out.println("# validation: " + validation.passed() + "/" + validation.total()
          + " URLs fired their required callbacks");
      for (ResponseValidator.Failure f : validation.failures()) {
        out.println("#   " + f.url() + " missing " + f.missing() + ", recorded " + f.recorded());
      }
      out.flush();
      return validation.failed() == 0 && s.total() == provider.total() ? 0 : 1;
    }
  }

  private void validate() {
    check(count >= 1 && count <= 10_000, "--count: " + count + " (expected: 1..10000)");
    check(concurrency >= 1 && concurrency <= 1000,
        "--concurrency: " + concurrency + " (expected: 1..1000)");
    check(timeoutMs >= 1, "--timeout-ms: " + timeoutMs + " (expected: >= 1)");
    check(slowThresholdMs >= 1, "--slow-threshold-ms: " + slowThresholdMs + " (expected: >= 1)");
    check(maxAttempts >= 1, "--max-attempts: " + maxAttempts + " (expected: >= 1)");
    check(initialBackoffMs >= 0,
        "--initial-backoff-ms: " + initialBackoffMs + " (expected: >= 0)");
    for (double d : slowDelays) {
      check(d > 0 && d * 1000 < timeoutMs, "--slow-delays: " + d
          + " (expected: > 0 and below --timeout-ms " + timeoutMs + " ms)");
    }
    check(budgetDemoCalls == null || (budgetDemoCalls >= 1 && budgetDemoCalls <= 100_000),
        "--budget-demo: " + budgetDemoCalls + " (expected: 1..100000)");
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}

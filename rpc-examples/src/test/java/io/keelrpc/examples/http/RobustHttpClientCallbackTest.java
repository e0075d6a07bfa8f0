package io.keelrpc.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.policy.CallSummary;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's validation: every URL of the provider fired its required callbacks, against the local
 * server over loopback, with short delays so that the run, made once for all the tests here,
 * takes about two seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustHttpClientCallbackTest {
  /** Slow pages take 150 ms (slow above 100 ms); timeouts wait 1.2 s (attempts time out at 600). */
  private static final UrlProvider.Timing SHORT = new UrlProvider.Timing(List.of(0.15), 1.2);

  private LocalHttpServer server;
  private UrlProvider provider;
  private ResponseValidator validator;
  private CallSummary.Snapshot summary;

  @BeforeAll
  void fetchEveryUrlOnce() {
    server = LocalHttpServer.start(42);
    provider = new UrlProvider(server.baseUrl(), LocalHttpServer.unusedPort(), 42, 50, SHORT);
    validator = new ResponseValidator(provider);
    RobustHttpClient client = RobustHttpClient.builder()
        .timeout(Duration.ofMillis(600))
        .slowThreshold(Duration.ofMillis(100))
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10))
            .jitter(Jitter.proportional(0.1)).build())
        .listener(validator)
        .build();
    summary = client.fetchAll(provider, 16);
  }

  @AfterAll
  void tearDown() {
    server.close();
  }

  private List<String> urlsOfKind(String kind) {
    return provider.allUrls().stream().filter(u -> provider.behavior(u).kind().equals(kind))
        .toList();
  }

  @Test
  void everyUrlFiresItsRequiredCallbacks() {
    ResponseValidator.Result result = validator.validate();
    assertThat(result.failures()).isEmpty();
    assertThat(result.passed()).isEqualTo(result.total()).isEqualTo(50);
    assertThat(summary.total()).isEqualTo(50);
  }

  @Test
  void retriesWhatShouldBeRetriedAndNothingElse() {
    for (String url : urlsOfKind("client_error")) {
      assertThat(validator.recorded(url)).as(url).containsExactly("on_client_error");
    }
    for (String url : urlsOfKind("server_error")) {
      assertThat(validator.recorded(url)).as(url).containsExactly(
          "on_server_error", "on_retry", "on_server_error", "on_retry", "on_server_error",
          "on_max_retries");
    }
    for (String url : urlsOfKind("timeout")) {
      assertThat(validator.recorded(url)).as(url).containsExactly(
          "on_timeout", "on_retry", "on_timeout", "on_retry", "on_timeout", "on_max_retries");
    }
    for (String url : urlsOfKind("connection_refused")) {
      assertThat(validator.recorded(url)).as(url).containsExactly(
          "on_connection_error", "on_retry", "on_connection_error", "on_retry",
          "on_connection_error", "on_max_retries");
    }
    for (String url : urlsOfKind("body_match")) {
      assertThat(validator.recorded(url)).as(url).contains("on_success", "on_body_match")
          .doesNotContain("on_retry");
    }
    for (String url : urlsOfKind("success_slow")) {
      assertThat(validator.recorded(url)).as(url)
          .containsExactly("on_success", "on_slow_response");
    }
  }

  @Test
  void summaryCountsHowEachUrlEnded() {
    CallSummary.Snapshot s = summary;

    // 7 client errors, 7 server errors, 1 timeout and 1 refused connection fail
    assertThat(s.failed()).isEqualTo(16);
    assertThat(s.successful()).isEqualTo(34);
    assertThat(s.byCode().get("200")).isEqualTo(34);
    assertThat(s.byError()).isEqualTo(Map.of("timeout", 1L, "connection", 1L));
    // 34 successes + 7 client errors + 3 x (7 + 1 + 1) failures retried to the end
    assertThat(s.totalRequests()).isEqualTo(34 + 7 + 27);
    assertThat(s.retries()).isEqualTo(18);
  }
}

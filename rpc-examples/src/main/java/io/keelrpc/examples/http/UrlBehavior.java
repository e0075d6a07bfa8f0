package io.keelrpc.examples.http;

import java.util.List;

/**
 * What a URL of the {@link UrlProvider} is expected to do, as the seed's {@code URLBehavior}.
 *
 * @param kind the URL's type: {@code success_fast}, {@code success_slow}, {@code client_error},
 *     {@code server_error}, {@code body_match}, {@code slow_body}, {@code timeout} or
 *     {@code connection_refused}
 * @param statusCode the expected status, or {@code null} for a timeout or connection error
 * @param minLatencyMs the least expected response time
 * @param shouldRetry whether the client should retry it
 * @param expectedCallbacks the callbacks that should fire ({@code on_retry} and
 *     {@code on_max_retries} are optional for the validator)
 * @param bodyKeywords keywords expected in the body
 * @param errorType {@code "timeout"}, {@code "connection"} or {@code null}
 */
public record UrlBehavior(String kind, Integer statusCode, double minLatencyMs,
    boolean shouldRetry, List<String> expectedCallbacks, List<String> bodyKeywords,
    String errorType) {
  /** Copies the lists. */
  public UrlBehavior {
    expectedCallbacks = List.copyOf(expectedCallbacks);
    bodyKeywords = List.copyOf(bodyKeywords);
  }
}

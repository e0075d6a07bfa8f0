package io.keelrpc.examples.http;

import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.CallSummary;
import io.keelrpc.core.policy.FieldNames;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.OutcomeClassifier;
import io.keelrpc.core.policy.Resilience;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robust HTTP client of seed {@code 001} ("Problem 2"), built on Keel's transport-agnostic
 * {@link Resilience} around {@link HttpClient#sendAsync}: not on {@code KeelClient}.
 *
 * <p>Behaviour, as the seed's matrix: 2xx is a success (plus a slow response above the threshold,
 * plus a body match per monitored keyword in the body); 4xx a client error, not retried; 5xx a
 * server error, retried with backoff (honouring {@code Retry-After} in seconds); a timeout or a
 * connection error is retried with backoff; after the last attempt comes
 * {@code on_max_retries} ({@link CallListener#onRetriesExhausted}). The backoff is the seed's:
 * {@code min(initial * multiplier^(retry-1), max)} plus up to 10% jitter
 * ({@link Jitter#proportional(double) proportional(0.1)}).
 *
 * <pre>{@code
 * RobustHttpClient client = RobustHttpClient.builder()
 *     .listener(JsonLinesCallLog.toFile(Path.of("fetch.jsonl")).fieldNames(FieldNames.HTTP).build())
 *     .build();
 * boolean ok = client.fetch("http://127.0.0.1:8080/status/503").join();
 * System.out.println(client.summary().toJson());
 * }</pre>
 */
public final class RobustHttpClient {
  private static final Logger log = LoggerFactory.getLogger(RobustHttpClient.class);

  /** The seed's SLOW_THRESHOLD_MS: 500 ms. */
  public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofMillis(500);
  /** The seed's BASE_TIMEOUT_SEC: 5 s per attempt. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** The seed's MAX_RETRIES = 3, so 4 attempts, and backoff from 100 ms doubling to 5 s. */
  public static final RetryPolicy DEFAULT_RETRY_POLICY = RetryPolicy.builder()
      .maxAttempts(4)
      .initialBackoff(Duration.ofMillis(100))
      .multiplier(2.0)
      .maxBackoff(Duration.ofSeconds(5))
      .jitter(Jitter.proportional(0.1))
      .build();
  /** The keywords monitored by default: the one the seed's test data expects ("Herman"). */
  public static final List<String> DEFAULT_KEYWORDS = List.of("Herman");

  /**
   * What an HTTP attempt means: 2xx success, 4xx client error, 5xx retryable server error with
   * its {@code Retry-After}; HTTP timeouts are timeouts, connect timeouts connection errors, and
   * other failures as {@link OutcomeClassifier#classifyFailure} says (GETs are idempotent).
   */
  public static final OutcomeClassifier<HttpResponse<String>> CLASSIFIER = (response, failure) -> {
    if (failure != null) {
      if (failure instanceof HttpConnectTimeoutException) {
        return Outcome.connectionError(failure.getMessage());
      }
      if (failure instanceof HttpTimeoutException) {
        return Outcome.timeout(failure.getMessage());
      }
      return OutcomeClassifier.classifyFailure(failure, true);
    }
    int status = response.statusCode();
    if (status < 400) {
      return Outcome.success(status);
    }
    if (status < 500) {
      return Outcome.clientError(status, "HTTP " + status);
    }
    Outcome o = Outcome.serverError(status, "HTTP " + status);
    return response.headers().firstValueAsLong("Retry-After").stream()
        .filter(s -> s >= 0)
        .mapToObj(s -> o.withRetryAfter(Duration.ofSeconds(s)))
        .findFirst().orElse(o);
  };

  private final HttpClient http;
  private final Resilience resilience;
  private final CallSummary summary = CallSummary.create(FieldNames.HTTP);

  private RobustHttpClient(Builder b) {
    this.http = b.http != null ? b.http
        : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.timeout).build();
    List<HttpFetchListener> extended = new ArrayList<>();
    for (CallListener l : b.listeners) {
      if (l instanceof HttpFetchListener h) {
        extended.add(h);
      }
    }
    Resilience.Builder r = Resilience.builder()
        .retryPolicy(b.retryPolicy)
        .perAttemptTimeout(b.timeout)
        .deadline(b.deadline)
        .slowCallThreshold(b.slowThreshold)
        .retryBudget(b.retryBudget)
        .listener(summary);
    b.listeners.forEach(r::listener);
    if (!extended.isEmpty() && !b.keywords.isEmpty()) {
      r.listener(new BodyMatcher(List.copyOf(b.keywords), List.copyOf(extended)));
    }
    this.resilience = r.build();
  }

  /** A builder with the seed's values. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches {@code url} with retries: true if it eventually got a 2xx, false otherwise (the
   * listeners say why). Never completes exceptionally for an HTTP or network failure.
   */
  public CompletableFuture<Boolean> fetch(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    return resilience.execute(url, CLASSIFIER,
            () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .handle((response, failure) -> failure == null && response.statusCode() >= 200
            && response.statusCode() < 300);
  }

  /**
   * Fetches every URL the provider hands out, at most {@code concurrency} at a time, and returns
   * the summary of this client (of all its fetches so far).
   */
  public CallSummary.Snapshot fetchAll(UrlProvider provider, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: >= 1)");
    }
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<Boolean>> pending = new ArrayList<>();
    for (String url; (url = provider.nextUrl()) != null; ) {
      slots.acquireUninterruptibly();
      pending.add(fetch(url).whenComplete((ok, t) -> slots.release()));
    }
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).join();
    return summary.snapshot();
  }

  /** The counts of every fetch of this client, in the seed's summary format. */
  public CallSummary summary() {
    return summary;
  }

  /** Fires {@link HttpFetchListener#onBodyMatch} for the keywords found in successful bodies. */
  private static final class BodyMatcher implements CallListener {
    private final List<String> keywords;
    private final List<HttpFetchListener> listeners;

    BodyMatcher(List<String> keywords, List<HttpFetchListener> listeners) {
      this.keywords = keywords;
      this.listeners = listeners;
    }

    @Override
    public void onSuccess(SuccessEvent e) {
      if (!(e.result() instanceof HttpResponse<?> response)
          || !(response.body() instanceof String body)) {
        return;
      }
      for (String keyword : keywords) {
        if (body.contains(keyword)) {
          HttpFetchListener.BodyMatchEvent match =
              new HttpFetchListener.BodyMatchEvent(e.name(), keyword);
          for (HttpFetchListener l : listeners) {
            try {
              l.onBodyMatch(match);
            } catch (RuntimeException ex) {
              log.warn("listener {} threw on body_match of {}; ignored", l, e.name(), ex);
            }
          }
        }
      }
    }
  }

  /** Configures a {@link RobustHttpClient}; each setter validates its argument at once. */
  public static final class Builder {
    private HttpClient http;
    private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration deadline = Resilience.DEFAULT_DEADLINE.multipliedBy(6);
    private Duration slowThreshold = DEFAULT_SLOW_THRESHOLD;
    private RetryBudget retryBudget = RetryBudget.unlimited();
    private List<String> keywords = DEFAULT_KEYWORDS;
    private final List<CallListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The HTTP client (default: HTTP/1.1, connect timeout = the per-attempt timeout). */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /** Attempts and backoff (default {@link #DEFAULT_RETRY_POLICY}, the seed's values). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The longest one attempt may take (default 5 s, the seed's BASE_TIMEOUT_SEC). */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /** The longest one URL may take, all attempts and waits included (default 60 s). */
    public Builder deadline(Duration deadline) {
      this.deadline = positive("deadline", deadline);
      return this;
    }

    /** Successes slower than this also fire {@code on_slow_response} (default 500 ms). */
    public Builder slowThreshold(Duration threshold) {
      this.slowThreshold = positive("slowThreshold", threshold);
      return this;
    }

    /**
     * The retry budget shared by every fetch (default {@link RetryBudget#unlimited()}, as the
     * seed's client, which retries every 5xx {@code MAX_RETRIES} times).
     */
    public Builder retryBudget(RetryBudget budget) {
      this.retryBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /** The keywords whose presence in a 2xx body fires {@code on_body_match} (default Herman). */
    public Builder keywords(List<String> keywords) {
      this.keywords = List.copyOf(keywords);
      return this;
    }

    /**
     * Adds a listener; an {@link HttpFetchListener} also hears body matches. May be called several
     * times.
     */
    public Builder listener(CallListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The client. */
    public RobustHttpClient build() {
      return new RobustHttpClient(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }
}

package io.keelrpc.client.metrics;

import io.keelrpc.core.policy.CallListener;
import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.ConnectionErrorEvent;
import io.keelrpc.core.policy.Outcome;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.ServerErrorEvent;
import io.keelrpc.core.policy.SuccessEvent;
import io.keelrpc.core.policy.TimeoutEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link CallListener} that records a client's attempts, retries, retry-budget refusals and
 * whole-call latency as Micrometer meters. Micrometer is an optional dependency of Keel: add
 * {@code io.micrometer:micrometer-core} (and a registry) to use this class; nothing else in Keel
 * needs it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 *   <tr><td>{@code keel.client.calls}</td><td>timer, with a percentile histogram</td>
 *       <td>{@code method}, {@code outcome}</td><td>whole calls, every attempt and backoff
 *       included, by how they ended</td></tr>
 *   <tr><td>{@code keel.client.attempts}</td><td>counter</td>
 *       <td>{@code method}, {@code outcome}</td><td>attempts by how they ended</td></tr>
 *   <tr><td>{@code keel.client.retries}</td><td>counter</td><td>{@code method}, {@code reason}
 *       </td><td>retries by the kind of failure that caused them</td></tr>
 *   <tr><td>{@code keel.client.retries.exhausted}</td><td>counter</td>
 *       <td>{@code method}, {@code reason}</td><td>calls that failed for good after a retryable
 *       kind of failure, by why they stopped</td></tr>
 *   <tr><td>{@code keel.client.retry.budget.refusals}</td><td>counter</td><td>{@code method}</td>
 *       <td>retries the shared retry budget held back</td></tr>
 * </table>
 *
 * <p>{@code outcome} and {@code reason} of attempts and retries are {@code success},
 * {@code client_error}, {@code server_error}, {@code timeout} or {@code connection}
 * ({@link Outcome.Kind#label()}); {@code reason} of exhausted calls is {@code max_attempts},
 * {@code deadline}, {@code budget} or {@code not_retryable}. {@code method} is the call's name:
 * bounded for Keel calls, but a URL for HTTP calls made through {@code Resilience}, which may
 * need a Micrometer {@code MeterFilter} to drop or map the tag. Every meter also carries the
 * common tags given to the constructor.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * KeelClient client = KeelClient.builder()
 *     .endpoint("127.0.0.1", 7070)
 *     .listener(new MicrometerClientMetrics(registry))
 *     .build();
 * }</pre>
 */
public final class MicrometerClientMetrics implements CallListener {
  private final Tags tags;
  private final Meter.MeterProvider<Timer> calls;
  private final Meter.MeterProvider<Counter> attempts;
  private final Meter.MeterProvider<Counter> retries;
  private final Meter.MeterProvider<Counter> exhausted;
  private final Meter.MeterProvider<Counter> budgetRefusals;

  /** Records into {@code registry}, with no common tags. */
  public MicrometerClientMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Records into {@code registry}, adding {@code tags} to every meter. */
  public MicrometerClientMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.calls = Timer.builder("keel.client.calls")
        .description("Whole calls, every attempt and backoff included, by how they ended")
        .tags(this.tags)
        .publishPercentileHistogram()
        .withRegistry(registry);
    this.attempts = counter(registry, "keel.client.attempts", "Attempts by how they ended");
    this.retries = counter(registry, "keel.client.retries",
        "Retries by the kind of failure that caused them");
    this.exhausted = counter(registry, "keel.client.retries.exhausted",
        "Calls that failed for good after a retryable failure, by why they stopped");
    this.budgetRefusals = counter(registry, "keel.client.retry.budget.refusals",
        "Retries the retry budget held back");
  }

  private Meter.MeterProvider<Counter> counter(MeterRegistry registry, String name,
      String description) {
    return Counter.builder(name).description(description).tags(tags).withRegistry(registry);
  }

  private void attempt(String method, Outcome.Kind kind) {
    attempts.withTags("method", method, "outcome", kind.label()).increment();
  }

  @Override
  public void onSuccess(SuccessEvent event) {
    attempt(event.name(), Outcome.Kind.SUCCESS);
  }

  @Override
  public void onClientError(ClientErrorEvent event) {
    attempt(event.name(), Outcome.Kind.CLIENT_ERROR);
  }

  @Override
  public void onServerError(ServerErrorEvent event) {
    attempt(event.name(), Outcome.Kind.SERVER_ERROR);
  }

  @Override
  public void onTimeout(TimeoutEvent event) {
    attempt(event.name(), Outcome.Kind.TIMEOUT);
  }

  @Override
  public void onConnectionError(ConnectionErrorEvent event) {
    attempt(event.name(), Outcome.Kind.CONNECTION_ERROR);
  }

  @Override
  public void onRetry(RetryEvent event) {
    retries.withTags("method", event.name(), "reason", event.reason().label()).increment();
  }

  @Override
  public void onRetriesExhausted(RetriesExhaustedEvent event) {
    exhausted.withTags("method", event.name(), "reason", event.reason().label()).increment();
    if (event.reason() == RetriesExhaustedEvent.Reason.BUDGET) {
      budgetRefusals.withTags("method", event.name()).increment();
    }
  }

  @Override
  public void onCallEnd(String name, Outcome.Kind kind, Duration duration) {
    calls.withTags("method", name, "outcome", kind.label()).record(duration);
  }

  @Override
  public String toString() {
    return "MicrometerClientMetrics" + tags;
  }
}

package io.keelrpc.server.metrics;

import io.keelrpc.server.ServerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A {@link ServerListener} that records a server's calls, rejections, idempotency look-ups and
 * connections as Micrometer meters. Micrometer is an optional dependency of Keel: add
 * {@code io.micrometer:micrometer-core} (and a registry) to use this class; nothing else in Keel
 * needs it.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 *   <tr><td>{@code keel.server.calls}</td><td>timer, with a percentile histogram</td>
 *       <td>{@code method}, {@code code}</td><td>answered calls by outcome code ({@code OK},
 *       {@code OVERLOADED}, ...), from dispatch to answer</td></tr>
 *   <tr><td>{@code keel.server.rejections}</td><td>counter</td><td>{@code method}</td>
 *       <td>calls answered OVERLOADED (shed without running)</td></tr>
 *   <tr><td>{@code keel.server.idempotency}</td><td>counter</td>
 *       <td>{@code result}: {@code hit}, {@code miss}, {@code join}, {@code conflict}</td>
 *       <td>idempotency-cache look-ups</td></tr>
 *   <tr><td>{@code keel.server.queue.depth}</td><td>gauge</td><td></td>
 *       <td>admitted calls waiting for a worker thread</td></tr>
 *   <tr><td>{@code keel.server.calls.admitted}</td><td>gauge</td><td></td>
 *       <td>calls admitted and not finished (the admission limit applies to it)</td></tr>
 *   <tr><td>{@code keel.server.connections.active}</td><td>gauge</td><td></td>
 *       <td>connections open now</td></tr>
 *   <tr><td>{@code keel.server.connections.opened}</td><td>counter</td><td></td>
 *       <td>connections accepted (refused ones not counted)</td></tr>
 * </table>
 *
 * <p>Every meter also carries the common tags given to the constructor. Use one instance per
 * server; to tell several servers apart in one registry, give each a tag such as
 * {@code server=orders}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * KeelServer server = KeelServer.builder()
 *     .handle(GET, handler)
 *     .listener(new MicrometerServerMetrics(registry))
 *     .metricsEndpoint(registry::scrape)   // GET /metrics on the server's port
 *     .start();
 * }</pre>
 */
public final class MicrometerServerMetrics implements ServerListener {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Meter.MeterProvider<Timer> calls;
  private final Meter.MeterProvider<Counter> rejections;
  private final Map<IdempotencyResult, Counter> idempotency = new EnumMap<>(
      IdempotencyResult.class);
  private final Counter opened;

  /** Records into {@code registry}, with no common tags. */
  public MicrometerServerMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Records into {@code registry}, adding {@code tags} to every meter. */
  public MicrometerServerMetrics(MeterRegistry registry, Iterable<Tag> tags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.calls = Timer.builder("keel.server.calls")
        .description("Answered calls by method and outcome code, from dispatch to answer")
        .tags(this.tags)
        .publishPercentileHistogram()
        .withRegistry(registry);
    this.rejections = Counter.builder("keel.server.rejections")
        .description("Calls answered OVERLOADED: shed without running")
        .tags(this.tags)
        .withRegistry(registry);
    for (IdempotencyResult r : IdempotencyResult.values()) {
      idempotency.put(r, Counter.builder("keel.server.idempotency")
          .description("Idempotency-cache look-ups by result")
          .tags(this.tags)
          .tag("result", r.name().toLowerCase(Locale.ROOT))
          .register(registry));
    }
    this.opened = Counter.builder("keel.server.connections.opened")
        .description("Connections accepted")
        .tags(this.tags)
        .register(registry);
  }

  @Override
  public void onStart(Gauges gauges) {
    gauge("keel.server.queue.depth", "Admitted calls waiting for a worker thread", gauges,
        Gauges::queueDepth);
    gauge("keel.server.calls.admitted", "Calls admitted and not finished", gauges,
        Gauges::admittedCalls);
    gauge("keel.server.connections.active", "Connections open now", gauges,
        Gauges::openConnections);
  }

  private void gauge(String name, String description, Gauges gauges,
      ToDoubleFunction<Gauges> value) {
    Gauge.builder(name, gauges, value)
        .description(description)
        .tags(tags)
        .strongReference(true) // the gauges object is referenced by nothing else
        .register(registry);
  }

  @Override
  public void onCallCompleted(String method, String code, long durationNanos) {
    calls.withTags("method", method, "code", code).record(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onCallRejected(String method) {
    rejections.withTags("method", method).increment();
  }

  @Override
  public void onIdempotency(IdempotencyResult result) {
    idempotency.get(result).increment();
  }

  @Override
  public void onConnectionOpened(SocketAddress remote) {
    opened.increment();
  }

  @Override
  public String toString() {
    return "MicrometerServerMetrics" + tags;
  }
}

package io.keelrpc.core.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link CallListener} that counts what happened, for the summary file of seed {@code 001}'s
 * robust HTTP client:
 *
 * <pre>
 * {
 *     "total_urls": 50,
 *     "successful": 42,
 *     "failed": 8,
 *     "total_requests": 67,
 *     "retries": 17,
 *     "avg_latency_ms": 234.5,
 *     "slow_responses": 12,
 *     "by_status": {"200": 42, "404": 3, "503": 5},
 *     "by_error": {"timeout": 4, "connection": 1}
 * }
 * </pre>
 *
 * <ul>
 *   <li>{@code total_calls} ({@code total_urls}): calls that ended, {@code successful} +
 *       {@code failed}. A call ends with a success, a client error or retries exhausted.</li>
 *   <li>{@code total_requests}: attempts made; {@code retries}: retry events.</li>
 *   <li>{@code avg_latency_ms}: the mean latency of the attempts that got an answer (success,
 *       client error, server error); 0 if none did.</li>
 *   <li>{@code slow_responses}: slow-response events.</li>
 *   <li>{@code by_code} ({@code by_status}): how calls ended, by the code of their last answer
 *       (a 200, a 404, the 503 of the last attempt), numerically ordered; successes without a
 *       code (Keel results) are not listed.</li>
 *   <li>{@code by_error}: how failed calls without a code ended, by the kind of their last
 *       failure ({@code timeout}, {@code connection}, ...).</li>
 * </ul>
 *
 * <p>Thread-safe and cheap (adders, no lock). A snapshot taken while calls run may be slightly
 * inconsistent between counters; one taken when they are done is exact.
 *
 * <pre>{@code
 * CallSummary summary = CallSummary.create(FieldNames.HTTP);
 * Resilience r = Resilience.builder().listener(summary).build();
 * ...
 * summary.writeTo(Path.of("summary.json"));
 * }</pre>
 */
public final class CallSummary implements CallListener {
  private static final JsonFactory JSON = new JsonFactory();

  private final FieldNames names;
  private final LongAdder successful = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder slow = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder answeredNanos = new LongAdder();
  private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byError = new ConcurrentHashMap<>();

  private CallSummary(FieldNames names) {
    this.names = names;
  }

  /** An empty summary with Keel's field names ({@link FieldNames#RPC}). */
  public static CallSummary create() {
    return create(FieldNames.RPC);
  }

  /** An empty summary with the given field names. */
  public static CallSummary create(FieldNames names) {
    return new CallSummary(Objects.requireNonNull(names, "names"));
  }

  /**
   * The counts at one moment.
   *
   * @param total calls that ended
   * @param successful calls that ended with a success
   * @param failed calls that ended with a client error or retries exhausted
   * @param totalRequests attempts
   * @param retries retries decided
   * @param avgLatencyMs mean latency of answered attempts, in milliseconds to one decimal
   * @param slowResponses successes slower than the threshold
   * @param byCode calls by the code they ended with, numerically ordered
   * @param byError failed calls without a code, by the kind of their last failure
   */
  public record Snapshot(long total, long successful, long failed, long totalRequests,
      long retries, double avgLatencyMs, long slowResponses, Map<String, Long> byCode,
      Map<String, Long> byError) {}

  /** The counts now. */
  public Snapshot snapshot() {
    long ok = successful.sum();
    long bad = failed.sum();
    long n = answered.sum();
    double avg = n == 0 ? 0.0 : Math.round(answeredNanos.sum() / (double) n / 100_000.0) / 10.0;
    Map<String, Long> codes = new LinkedHashMap<>();
    new TreeMap<>(byCode).forEach((k, v) -> codes.put(String.valueOf(k), v.sum()));
    Map<String, Long> errors = new LinkedHashMap<>();
    new TreeMap<>(byError).forEach((k, v) -> errors.put(k, v.sum()));
    return new Snapshot(ok + bad, ok, bad, requests.sum(), retries.sum(), avg, slow.sum(),
        Collections.unmodifiableMap(codes), Collections.unmodifiableMap(errors));
  }

  /** The summary as pretty-printed JSON (4-space indent, as the seed's), without a final newline. */
  public String toJson() {
    Snapshot s = snapshot();
    StringWriter sw = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter()
          .withSeparators(Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("    ", "\n")));
      g.writeStartObject();
      g.writeNumberField(names.totalField(), s.total());
      g.writeNumberField("successful", s.successful());
      g.writeNumberField("failed", s.failed());
      g.writeNumberField("total_requests", s.totalRequests());
      g.writeNumberField("retries", s.retries());
      g.writeNumberField("avg_latency_ms", s.avgLatencyMs());
      g.writeNumberField("slow_responses", s.slowResponses());
      writeCounts(g, names.byCodeField(), s.byCode());
      writeCounts(g, "by_error", s.byError());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return sw.toString();
  }

  /**
   * Writes {@link #toJson()} and a newline to {@code path}, replacing it.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public void writeTo(Path path) {
    try {
      Files.writeString(path, toJson() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the summary " + path, e);
    }
  }

  private static void writeCounts(JsonGenerator g, String field, Map<String, Long> counts)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private void answered(Duration latency) {
    answered.increment();
    answeredNanos.add(latency.toNanos());
  }

  private void endedWith(Integer code, Outcome.Kind kind) {
    if (code != null) {
      byCode.computeIfAbsent(code, k -> new LongAdder()).increment();
    } else if (kind != Outcome.Kind.SUCCESS) {
      byError.computeIfAbsent(kind.label(), k -> new LongAdder()).increment();
    }
  }

  @Override
  public void onSuccess(SuccessEvent event) {
    successful.increment();
    requests.increment();
    answered(event.latency());
    endedWith(event.code(), Outcome.Kind.SUCCESS);
  }

  @Override
  public void onSlowResponse(SlowResponseEvent event) {
    slow.increment();
  }

  @Override
  public void onClientError(ClientErrorEvent event) {
    failed.increment();
    requests.increment();
    answered(event.latency());
    endedWith(event.code(), Outcome.Kind.CLIENT_ERROR);
  }

  @Override
  public void onServerError(ServerErrorEvent event) {
    requests.increment();
    answered(event.latency());
  }

  @Override
  public void onTimeout(TimeoutEvent event) {
    requests.increment();
  }

  @Override
  public void onConnectionError(ConnectionErrorEvent event) {
    requests.increment();
  }

  @Override
  public void onRetry(RetryEvent event) {
    retries.increment();
  }

  @Override
  public void onRetriesExhausted(RetriesExhaustedEvent event) {
    failed.increment();
    endedWith(event.lastCode(), event.lastKind());
  }

  @Override
  public String toString() {
    return "CallSummary" + snapshot();
  }
}

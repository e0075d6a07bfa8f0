package io.keelrpc.core.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link CallListener} that writes one JSON object per event, one per line, as the robust HTTP
 * client of seed {@code 001} logs:
 *
 * <pre>
 * {"timestamp":"2026-01-15T10:30:00.123Z","event":"success","url":"http://...","status":200,"latency_ms":45.2,"attempt":1}
 * {"timestamp":"2026-01-15T10:30:00.234Z","event":"slow_response","url":"http://...","latency_ms":623.5,"threshold_ms":500.0,"attempt":1}
 * {"timestamp":"2026-01-15T10:30:00.456Z","event":"server_error","url":"http://...","status":503,"attempt":1,"latency_ms":3.1,"retryable":true,"message":"HTTP 503"}
 * {"timestamp":"2026-01-15T10:30:00.567Z","event":"retry","url":"http://...","attempt":2,"wait_ms":200.0,"reason":"server_error"}
 * {"timestamp":"2026-01-15T10:30:01.002Z","event":"retries_exhausted","url":"http://...","status":503,"attempts":4,"last_error":"HTTP 503","reason":"max_attempts"}
 * </pre>
 *
 * <p>Every line starts with {@code timestamp} (UTC, ISO-8601, always with milliseconds, from the
 * injected {@link Clock}), {@code event} ({@link CallEvent#eventName()}) and the call's name
 * ({@code method}, or {@code url} with {@link FieldNames#HTTP}), followed by the event's fields:
 * the code when there is one ({@code code}/{@code status}), {@code attempt} (or {@code attempts}),
 * times in milliseconds with one decimal ({@code latency_ms}, {@code threshold_ms},
 * {@code timeout_ms}, {@code wait_ms}), {@code retryable}, {@code message} or {@code error},
 * {@code reason} (a retry's cause: {@code server_error}, {@code timeout}, {@code connection};
 * or why retries stopped: {@code max_attempts}, {@code deadline}, {@code budget},
 * {@code not_retryable}) and {@code last_error}.
 *
 * <p>Thread-safe: lines are written whole, in the order the events arrive, and flushed one by one
 * when the target is {@link Flushable}. A failure to write throws {@link UncheckedIOException},
 * which the call machinery logs and ignores.
 *
 * <pre>{@code
 * try (JsonLinesCallLog log = JsonLinesCallLog.toFile(Path.of("calls.jsonl")).build();
 *     KeelClient client = KeelClient.builder().endpoint(host, port).listener(log).build()) {
 *   ...
 * }
 * }</pre>
 */
public final class JsonLinesCallLog implements CallListener, Closeable {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Appendable out;
  private final boolean owned;
  private final FieldNames names;
  private final Clock clock;

  private JsonLinesCallLog(Appendable out, boolean owned, FieldNames names, Clock clock) {
    this.out = out;
    this.owned = owned;
    this.names = names;
    this.clock = clock;
  }

  /** A log writing to {@code out} (a {@code Writer}, a {@code StringBuilder}, ...). */
  public static Builder to(Appendable out) {
    return new Builder(Objects.requireNonNull(out, "out"), null);
  }

  /**
   * A log writing to the file {@code path}, created or truncated by {@link Builder#build()}, in
   * UTF-8; {@link #close()} closes it.
   */
  public static Builder toFile(Path path) {
    return new Builder(null, Objects.requireNonNull(path, "path"));
  }

  /** The line for {@code event}, without the line break, timestamped now. */
  public String format(CallEvent event) {
    StringWriter sw = new StringWriter(160);
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.writeStartObject();
      g.writeStringField("timestamp", TIMESTAMP.format(clock.instant()));
      g.writeStringField("event", event.eventName());
      g.writeStringField(names.nameField(), event.name());
      writeFields(g, event);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return sw.toString();
  }

  /**
   * Writes a line for an event that is not a {@link CallEvent}, such as an extension's (an HTTP
   * client's body match): {@code timestamp}, {@code event}, the call's name, then {@code fields} in
   * their iteration order. Values may be strings, numbers, booleans or null.
   *
   * <pre>{@code
   * log.write("body_match", url, Map.of("keyword", "Herman"));
   * }</pre>
   *
   * @throws IllegalArgumentException if a value is of another type
   */
  public void write(String eventName, String name, Map<String, ?> fields) {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(name, "name");
    StringWriter sw = new StringWriter(120);
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.writeStartObject();
      g.writeStringField("timestamp", TIMESTAMP.format(clock.instant()));
      g.writeStringField("event", eventName);
      g.writeStringField(names.nameField(), name);
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        Object v = e.getValue();
        g.writeFieldName(e.getKey());
        if (v == null) {
          g.writeNull();
        } else if (v instanceof String str) {
          g.writeString(str);
        } else if (v instanceof Boolean b) {
          g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short
            || v instanceof Byte) {
          g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
          g.writeNumber(n.doubleValue());
        } else {
          throw new IllegalArgumentException("fields." + e.getKey() + ": " + v.getClass().getName()
              + " (expected: a string, number, boolean or null)");
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    append(sw.toString());
  }

  private void writeFields(JsonGenerator g, CallEvent event) throws IOException {
    if (event instanceof SuccessEvent e) {
      code(g, e.code());
      millis(g, "latency_ms", e.latency());
      g.writeNumberField("attempt", e.attempt());
    } else if (event instanceof SlowResponseEvent e) {
      millis(g, "latency_ms", e.latency());
      millis(g, "threshold_ms", e.threshold());
      g.writeNumberField("attempt", e.attempt());
    } else if (event instanceof ClientErrorEvent e) {
      code(g, e.code());
      g.writeNumberField("attempt", e.attempt());
      millis(g, "latency_ms", e.latency());
      g.writeStringField("message", e.message());
    } else if (event instanceof ServerErrorEvent e) {
      code(g, e.code());
      g.writeNumberField("attempt", e.attempt());
      millis(g, "latency_ms", e.latency());
      g.writeBooleanField("retryable", e.retryable());
      g.writeStringField("message", e.message());
    } else if (event instanceof TimeoutEvent e) {
      g.writeNumberField("attempt", e.attempt());
      millis(g, "timeout_ms", e.waited());
      g.writeBooleanField("retryable", e.retryable());
      g.writeStringField("message", e.message());
    } else if (event instanceof ConnectionErrorEvent e) {
      g.writeNumberField("attempt", e.attempt());
      millis(g, "latency_ms", e.latency());
      g.writeBooleanField("retryable", e.retryable());
      g.writeStringField("error", e.message());
    } else if (event instanceof RetryEvent e) {
      g.writeNumberField("attempt", e.attempt());
      millis(g, "wait_ms", e.waitTime());
      g.writeStringField("reason", e.reason().label());
    } else if (event instanceof RetriesExhaustedEvent e) {
      code(g, e.lastCode());
      g.writeNumberField("attempts", e.attempts());
      g.writeStringField("last_error", e.lastError());
      g.writeStringField("reason", e.reason().label());
    }
  }

  private void code(JsonGenerator g, Integer code) throws IOException {
    if (code != null) {
      g.writeNumberField(names.codeField(), code);
    }
  }

  private static void millis(JsonGenerator g, String field, Duration d) throws IOException {
    g.writeNumberField(field, Math.round(d.toNanos() / 100_000.0) / 10.0);
  }

  private void write(CallEvent event) {
    append(format(event));
  }

  private void append(String line) {
    synchronized (this) {
      try {
        out.append(line).append('\n');
        if (out instanceof Flushable f) {
          f.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the call log", e);
      }
    }
  }

  /** Flushes the target; closes it if this log opened it ({@link #toFile(Path)}). */
  @Override
  public synchronized void close() throws IOException {
    if (owned) {
      ((Closeable) out).close();
    } else if (out instanceof Flushable f) {
      f.flush();
    }
  }

  @Override
  public void onSuccess(SuccessEvent event) {
    write(event);
  }

  @Override
  public void onSlowResponse(SlowResponseEvent event) {
    write(event);
  }

  @Override
  public void onClientError(ClientErrorEvent event) {
    write(event);
  }

  @Override
  public void onServerError(ServerErrorEvent event) {
    write(event);
  }

  @Override
  public void onTimeout(TimeoutEvent event) {
    write(event);
  }

  @Override
  public void onConnectionError(ConnectionErrorEvent event) {
    write(event);
  }

  @Override
  public void onRetry(RetryEvent event) {
    write(event);
  }

  @Override
  public void onRetriesExhausted(RetriesExhaustedEvent event) {
    write(event);
  }

  @Override
  public String toString() {
    return "JsonLinesCallLog[" + names + "]";
  }

  /** Configures a {@link JsonLinesCallLog}. */
  public static final class Builder {
    private final Appendable out;
    private final Path path;
    private FieldNames names = FieldNames.RPC;
    private Clock clock = Clock.systemUTC();

    private Builder(Appendable out, Path path) {
      this.out = out;
      this.path = path;
    }

    /** The names of the call-name and code fields (default {@link FieldNames#RPC}). */
    public Builder fieldNames(FieldNames names) {
      this.names = Objects.requireNonNull(names, "names");
      return this;
    }

    /** The source of timestamps (default {@link Clock#systemUTC()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The log; for {@link #toFile(Path)} the file is created or truncated now.
     *
     * @throws UncheckedIOException if the file cannot be opened
     */
    public JsonLinesCallLog build() {
      if (out != null) {
        return new JsonLinesCallLog(out, false, names, clock);
      }
      try {
        Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        return new JsonLinesCallLog(w, true, names, clock);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the call log " + path, e);
      }
    }
  }
}

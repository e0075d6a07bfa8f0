package io.keelrpc.examples.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.fault.Delay;
import io.keelrpc.examples.kv.KvBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A scenario: which clients increment which counters for how long, under which injected faults,
 * against which storage backend. Read from JSON in the seed's format (snake_case names, rates in
 * percent), with Keel's additions; every field but {@code clients} has a default.
 *
 * <pre>{@code
 * {
 *   "clients": [
 *     {"name": "client_1", "keys": ["key1", "key2"], "client_packet_loss_rate": 10.0}
 *   ],
 *   "test_duration_seconds": 5,
 *   "server_packet_loss_rate": 10.0,        // kv.put answers dropped after the write (percent)
 *   "server_request_loss_rate": 0.0,        // requests dropped before the handler (percent)
 *   "server_delay": {"rate": 20.0, "kind": "uniform", "min_ms": 1, "max_ms": 20},
 *   "max_retries_server_packet_loss": 10,   // network retries per store call
 *   "call_timeout_ms": 200,                 // how long a client waits for one answer
 *   "backend": "memory",                    // memory, file or sqlite
 *   "data_dir": null,                       // file/sqlite: a fresh temporary directory if null
 *   "idempotency_cache": true,              // the server's cache of executed calls
 *   "seed": 1                               // all injected faults derive from it
 * }
 * }</pre>
 *
 * @param clients the clients, at least one, with distinct names
 * @param durationSeconds how long clients keep starting increments
 * @param serverResponseLossPercent chance that the server drops a {@code kv.put} answer after the
 *     write happened (the seed's server packet loss)
 * @param serverRequestLossPercent chance that the server drops any request before its handler
 * @param serverDelay injected delay on the server, or {@code null}
 * @param maxNetworkRetries network retries per store call before an increment gives up
 * @param callTimeoutMs how long a client waits for one answer before it counts the call as lost
 * @param backend the storage backend
 * @param dataDir the durable backends' directory, or {@code null} for a temporary one
 * @param idempotencyCache whether the server deduplicates retried calls
 * @param seed the seed of every fault decision
 */
public record ScenarioConfig(
    List<ClientSpec> clients,
    double durationSeconds,
    double serverResponseLossPercent,
    double serverRequestLossPercent,
    DelaySpec serverDelay,
    int maxNetworkRetries,
    long callTimeoutMs,
    KvBackend backend,
    Path dataDir,
    boolean idempotencyCache,
    long seed) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Binds the JSON form; absent fields take their defaults. */
  @JsonCreator
  static ScenarioConfig fromJson(
      @JsonProperty("clients") List<ClientSpec> clients,
      @JsonProperty("test_duration_seconds") Double durationSeconds,
      @JsonProperty("server_packet_loss_rate") Double serverResponseLossPercent,
      @JsonProperty("server_request_loss_rate") Double serverRequestLossPercent,
      @JsonProperty("server_delay") DelaySpec serverDelay,
      @JsonProperty("max_retries_server_packet_loss") Integer maxNetworkRetries,
      @JsonProperty("call_timeout_ms") Long callTimeoutMs,
      @JsonProperty("backend") String backend,
      @JsonProperty("data_dir") String dataDir,
      @JsonProperty("idempotency_cache") Boolean idempotencyCache,
      @JsonProperty("seed") Long seed) {
    return new ScenarioConfig(
        clients,
        durationSeconds == null ? 10 : durationSeconds,
        serverResponseLossPercent == null ? 0 : serverResponseLossPercent,
        serverRequestLossPercent == null ? 0 : serverRequestLossPercent,
        serverDelay,
        maxNetworkRetries == null ? 10 : maxNetworkRetries,
        callTimeoutMs == null ? 200 : callTimeoutMs,
        backend == null ? KvBackend.MEMORY : KvBackend.parse(backend),
        dataDir == null ? null : Path.of(dataDir),
        idempotencyCache == null || idempotencyCache,
        seed == null ? 1 : seed);
  }

  /** Validates every field; messages name the JSON field. */
  public ScenarioConfig {
    Objects.requireNonNull(backend, "backend");
    if (clients == null || clients.isEmpty()) {
      throw new IllegalArgumentException("clients: none (expected: at least one client)");
    }
    Set<String> names = new HashSet<>();
    for (ClientSpec c : clients) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("clients: name \"" + c.name() + "\" used twice");
      }
    }
    clients = List.copyOf(clients);
    if (!(durationSeconds > 0 && durationSeconds <= 24 * 3600)) {
      throw new IllegalArgumentException(
          "test_duration_seconds: " + durationSeconds + " (expected: 0 < s <= 86400)");
    }
    percent("server_packet_loss_rate", serverResponseLossPercent);
    percent("server_request_loss_rate", serverRequestLossPercent);
    if (maxNetworkRetries < 0) {
      throw new IllegalArgumentException(
          "max_retries_server_packet_loss: " + maxNetworkRetries + " (expected: >= 0)");
    }
    if (callTimeoutMs < 1) {
      throw new IllegalArgumentException("call_timeout_ms: " + callTimeoutMs + " (expected: >= 1)");
    }
  }

  static void percent(String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100 percent)");
    }
  }

  /** The test duration. */
  public Duration duration() {
    return Duration.ofMillis(Math.round(durationSeconds * 1000));
  }

  /** A copy with another duration. */
  public ScenarioConfig withDuration(double seconds) {
    return new ScenarioConfig(clients, seconds, serverResponseLossPercent,
        serverRequestLossPercent, serverDelay, maxNetworkRetries, callTimeoutMs, backend, dataDir,
        idempotencyCache, seed);
  }

  /** A copy with another backend and data directory. */
  public ScenarioConfig withBackend(KvBackend newBackend, Path newDataDir) {
    return new ScenarioConfig(clients, durationSeconds, serverResponseLossPercent,
        serverRequestLossPercent, serverDelay, maxNetworkRetries, callTimeoutMs, newBackend,
        newDataDir, idempotencyCache, seed);
  }

  /** A copy with another seed. */
  public ScenarioConfig withSeed(long newSeed) {
    return new ScenarioConfig(clients, durationSeconds, serverResponseLossPercent,
        serverRequestLossPercent, serverDelay, maxNetworkRetries, callTimeoutMs, backend, dataDir,
        idempotencyCache, newSeed);
  }

  /**
   * Reads a scenario from JSON text.
   *
   * @throws IllegalArgumentException if it is not valid JSON or a field is wrong
   */
  public static ScenarioConfig parse(String json) {
    try {
      return JSON.readValue(json, ScenarioConfig.class);
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new IllegalArgumentException("scenario: " + firstLine(cause.getMessage()), e);
    }
  }

  /** Reads a scenario file. */
  public static ScenarioConfig read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** The scenario built into the examples jar: the README's main demo. */
  public static ScenarioConfig builtIn() {
    return parse(builtInJson());
  }

  /** The text of {@link #builtIn()}. */
  public static String builtInJson() {
    try (InputStream in = ScenarioConfig.class.getResourceAsStream("/scenario/default.json")) {
      return new String(Objects.requireNonNull(in, "scenario/default.json").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * One client: its name, the counters it increments (in turn) and its own request loss.
   *
   * @param name a unique name
   * @param keys the counters, at least one
   * @param requestLossPercent chance that a request is dropped before it is sent (the seed's
   *     client packet loss)
   */
  public record ClientSpec(
      @JsonProperty("name") String name,
      @JsonProperty("keys") List<String> keys,
      @JsonProperty("client_packet_loss_rate") double requestLossPercent) {

    /** Validates the fields. */
    public ClientSpec {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("clients[].name: missing");
      }
      if (keys == null || keys.isEmpty()) {
        throw new IllegalArgumentException("clients[" + name + "].keys: none (expected: >= 1)");
      }
      keys = List.copyOf(keys);
      percent("clients[" + name + "].client_packet_loss_rate", requestLossPercent);
    }
  }

  /**
   * An injected delay: how often and how long.
   *
   * @param ratePercent chance that a message is delayed
   * @param kind {@code fixed}, {@code uniform} or {@code exponential}
   * @param minMs fixed: the delay; uniform: the shortest
   * @param maxMs uniform: the longest
   * @param meanMs exponential: the mean
   */
  public record DelaySpec(
      @JsonProperty("rate") double ratePercent,
      @JsonProperty("kind") String kind,
      @JsonProperty("min_ms") long minMs,
      @JsonProperty("max_ms") long maxMs,
      @JsonProperty("mean_ms") long meanMs) {

    /** Validates the fields. */
    public DelaySpec {
      percent("server_delay.rate", ratePercent);
      toDelay(kind, minMs, maxMs, meanMs);
    }

    /** The delay distribution. */
    public Delay delay() {
      return toDelay(kind, minMs, maxMs, meanMs);
    }

    private static Delay toDelay(String kind, long minMs, long maxMs, long meanMs) {
      switch (kind == null ? "" : kind) {
        case "fixed":
          return Delay.fixed(Duration.ofMillis(minMs));
        case "uniform":
          return Delay.uniform(Duration.ofMillis(minMs), Duration.ofMillis(maxMs));
        case "exponential":
          return Delay.exponential(Duration.ofMillis(meanMs));
        default:
          throw new IllegalArgumentException("server_delay.kind: \"" + kind
              + "\" (expected: fixed, uniform or exponential)");
      }
    }
  }
}

package io.keelrpc.bench.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One run's numbers, printed as one machine-readable line:
 *
 * <pre>
 * RESULT impl=keel-cache mode=closed c=64 payload=64 rate=- warmup_ms=2000 warmup_calls=...
 *   duration_ms=5000
 *   calls=... calls_per_s=... p50_us=... p90_us=... p99_us=... p999_us=... max_us=...
 *   errors=... dropped=... jit_warmup_ms=... jit_warmup_calls=...
 * </pre>
 *
 * (on one line). {@code calls} are successful calls that count: in closed loop those completed in
 * the measured window; in open loop those whose <em>intended</em> send time fell in it (their
 * latency runs from that intended time). {@code calls_per_s} is successful completions inside the
 * window divided by its length, in both modes. {@code errors} counts every failed or wrong call of
 * the run, warm-up included, plus calls still unanswered when the run gave up waiting, plus
 * {@code dropped} (open loop: sends skipped because the outstanding cap was reached).
 *
 * @param impl implementation name
 * @param mode {@code closed} or {@code open}
 * @param concurrency closed loop: calls kept outstanding; open loop: 0
 * @param payloadBytes echoed payload size
 * @param rate open loop: intended calls per second; closed loop: 0
 * @param warmup how long the warm-up actually lasted
 * @param warmupCalls calls completed (closed loop) or sent (open loop) during the warm-up
 * @param jitWarmup how long the session's JIT warm-up before its first run lasted (0 if none)
 * @param jitWarmupCalls calls the session's JIT warm-up completed
 */
public record RunResult(String impl, String mode, int concurrency, int payloadBytes, double rate,
    Duration warmup, long warmupCalls, Duration duration, long calls, double callsPerSecond,
    long p50, long p90, long p99, long p999, long max, long errors, long dropped,
    Duration jitWarmup, long jitWarmupCalls) {

  public RunResult {
    Objects.requireNonNull(impl, "impl");
    Objects.requireNonNull(mode, "mode");
  }

  /** This result with the session's JIT warm-up noted. */
  public RunResult withJitWarmup(Duration time, long calls) {
    return new RunResult(impl, mode, concurrency, payloadBytes, rate, warmup, warmupCalls,
        duration, this.calls, callsPerSecond, p50, p90, p99, p999, max, errors, dropped, time,
        calls);
  }

  /** The {@code RESULT ...} line. */
  public String line() {
    return String.format(Locale.ROOT,
        "RESULT impl=%s mode=%s c=%s payload=%d rate=%s warmup_ms=%d warmup_calls=%d"
            + " duration_ms=%d calls=%d"
            + " calls_per_s=%.0f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d"
            + " dropped=%d jit_warmup_ms=%d jit_warmup_calls=%d",
        impl, mode, concurrency > 0 ? Integer.toString(concurrency) : "-", payloadBytes,
        rate > 0 ? String.format(Locale.ROOT, "%.0f", rate) : "-", warmup.toMillis(),
        warmupCalls, duration.toMillis(), calls, callsPerSecond, p50, p90, p99, p999, max, errors,
        dropped, jitWarmup.toMillis(), jitWarmupCalls);
  }

  /** Parses a line produced by {@link #line()} (extra keys are ignored). */
  public static RunResult parse(String line) {
    Map<String, String> kv = fields(line);
    String mode = get(kv, "mode");
    String c = get(kv, "c");
    String rate = get(kv, "rate");
    return new RunResult(get(kv, "impl"), mode, "-".equals(c) ? 0 : Integer.parseInt(c),
        Integer.parseInt(get(kv, "payload")), "-".equals(rate) ? 0 : Double.parseDouble(rate),
        Duration.ofMillis(Long.parseLong(get(kv, "warmup_ms"))),
        Long.parseLong(get(kv, "warmup_calls")),
        Duration.ofMillis(Long.parseLong(get(kv, "duration_ms"))),
        Long.parseLong(get(kv, "calls")), Double.parseDouble(get(kv, "calls_per_s")),
        Long.parseLong(get(kv, "p50_us")), Long.parseLong(get(kv, "p90_us")),
        Long.parseLong(get(kv, "p99_us")), Long.parseLong(get(kv, "p999_us")),
        Long.parseLong(get(kv, "max_us")), Long.parseLong(get(kv, "errors")),
        Long.parseLong(get(kv, "dropped")),
        Duration.ofMillis(Long.parseLong(kv.getOrDefault("jit_warmup_ms", "0"))),
        Long.parseLong(kv.getOrDefault("jit_warmup_calls", "0")));
  }

  private static Map<String, String> fields(String line) {
    String s = line.strip();
    if (!s.startsWith("RESULT ")) {
      throw new IllegalArgumentException("not a RESULT line: \"" + line + "\"");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    for (String tok : s.substring("RESULT ".length()).trim().split("\\s+")) {
      int eq = tok.indexOf('=');
      if (eq > 0) {
        kv.put(tok.substring(0, eq), tok.substring(eq + 1));
      }
    }
    return kv;
  }

  private static String get(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalArgumentException("RESULT line without " + key + "=");
    }
    return v;
  }
}

package io.keelrpc.examples.lab;

import java.util.Locale;

/**
 * What one cell of the matrix measured. Latencies are of successful calls only, from the call's
 * start to its result, in milliseconds; {@code NaN} when no call succeeded.
 *
 * @param delayMs the server's base service time
 * @param timeoutMs the client's per-attempt timeout
 * @param policy the client's retry policy
 * @param calls calls made
 * @param successes calls that got their result
 * @param p50Ms median latency of the successes
 * @param p95Ms 95th percentile latency of the successes
 * @param p99Ms 99th percentile latency of the successes
 * @param maxMs slowest success
 * @param attempts attempts made in all (calls plus retries, counted by a call listener)
 * @param maxAttempts most attempts of one call
 * @param attemptTimeouts attempts that timed out
 * @param serverExecutions executions the server started (retries joined by its idempotency cache
 *     start none)
 * @param serverRejected attempts the server answered OVERLOADED (queue full)
 * @param serverPeakQueue the longest the server's queue was
 * @param failedMaxAttempts calls that failed with every attempt used
 * @param failedDeadline calls that failed when the deadline passed
 * @param failedBudget calls that failed because the retry budget was spent
 * @param failedOther calls that failed otherwise
 * @param wallMs wall time of the cell
 */
public record CellResult(long delayMs, long timeoutMs, ClientPolicy policy, int calls,
    int successes, double p50Ms, double p95Ms, double p99Ms, double maxMs, long attempts,
    int maxAttempts, long attemptTimeouts, long serverExecutions, long serverRejected,
    int serverPeakQueue, long failedMaxAttempts, long failedDeadline, long failedBudget,
    long failedOther, long wallMs) {
  /** The CSV header matching {@link #csvRow()}. */
  public static final String CSV_HEADER = "delay_ms,timeout_ms,policy,calls,successes,"
      + "success_rate,p50_ms,p95_ms,p99_ms,max_ms,attempts_per_call,max_attempts,"
      + "attempt_timeouts,server_executions_per_call,server_rejected,server_peak_queue,"
      + "failed_max_attempts,failed_deadline,failed_budget,failed_other,wall_ms";

  /** Successes over calls, 0..1. */
  public double successRate() {
    return calls == 0 ? 0 : (double) successes / calls;
  }

  /** Attempts per call, at least 1. */
  public double attemptsPerCall() {
    return calls == 0 ? 0 : (double) attempts / calls;
  }

  /** Server executions per call: how much work each call cost the server. */
  public double serverExecutionsPerCall() {
    return calls == 0 ? 0 : (double) serverExecutions / calls;
  }

  /** One CSV line (no quoting needed: every field is a number or a policy label). */
  public String csvRow() {
    return String.join(",", Long.toString(delayMs), Long.toString(timeoutMs), policy.label(),
        Integer.toString(calls), Integer.toString(successes), fmt("%.4f", successRate()),
        ms(p50Ms), ms(p95Ms), ms(p99Ms), ms(maxMs), fmt("%.3f", attemptsPerCall()),
        Integer.toString(maxAttempts), Long.toString(attemptTimeouts),
        fmt("%.3f", serverExecutionsPerCall()), Long.toString(serverRejected),
        Integer.toString(serverPeakQueue), Long.toString(failedMaxAttempts),
        Long.toString(failedDeadline), Long.toString(failedBudget), Long.toString(failedOther),
        Long.toString(wallMs));
  }

  /** The Markdown table header matching {@link #markdownRow()}. */
  public static String markdownHeader() {
    return "| delay ms | timeout ms | policy | success | p50 ms | p95 ms | p99 ms "
        + "| attempts/call | server runs/call | failures max/deadline/budget/other |\n"
        + "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|";
  }

  /** One Markdown table row. */
  public String markdownRow() {
    return "| " + delayMs + " | " + timeoutMs + " | " + policy.label() + " | "
        + fmt("%.1f%%", 100 * successRate()) + " | " + msOrDash(p50Ms) + " | "
        + msOrDash(p95Ms) + " | " + msOrDash(p99Ms) + " | " + fmt("%.2f", attemptsPerCall())
        + " | " + fmt("%.2f", serverExecutionsPerCall()) + " | " + failedMaxAttempts + "/"
        + failedDeadline + "/" + failedBudget + "/" + failedOther + " |";
  }

  /** One line for the console while the lab runs. */
  public String line() {
    return fmt("delay=%4d ms timeout=%4d ms %-12s success=%6.1f%% p50=%7s p95=%7s p99=%7s "
            + "attempts/call=%5.2f server runs/call=%5.2f (%d ms)",
        delayMs, timeoutMs, policy.label(), 100 * successRate(), msOrDash(p50Ms),
        msOrDash(p95Ms), msOrDash(p99Ms), attemptsPerCall(), serverExecutionsPerCall(), wallMs);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "" : fmt("%.2f", v);
  }

  private static String msOrDash(double v) {
    return Double.isNaN(v) ? "-" : fmt("%.1f", v);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

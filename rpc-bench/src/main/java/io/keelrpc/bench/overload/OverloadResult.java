package io.keelrpc.bench.overload;

import java.util.Locale;

/**
 * What one overload run measured.
 *
 * @param client {@code keel} or {@code naive}
 * @param offeredPerSec calls started per second
 * @param seconds length of the sending window
 * @param calls calls started in the window
 * @param succeeded calls that ended with an answer
 * @param attempts requests sent for those calls, first attempts included
 * @param executedPerSec calls the server's handler completed per second during the run
 * @param p50Micros median latency of succeeded calls, from the intended start
 * @param p99Micros 99th percentile latency of succeeded calls, from the intended start
 */
public record OverloadResult(String client, double offeredPerSec, double seconds, long calls,
    long succeeded, long attempts, double executedPerSec, long p50Micros, long p99Micros) {

  /** Successful calls per second of the window. */
  public double goodput() {
    return succeeded / seconds;
  }

  /** Requests sent per call, first attempt included. */
  public double attemptsPerCall() {
    return calls == 0 ? 0 : (double) attempts / calls;
  }

  /** One greppable line. */
  public String resultLine(double capacity) {
    return String.format(Locale.ROOT,
        "RESULT overload client=%s capacity=%.0f offered=%.0f calls=%d succeeded=%d "
            + "goodput=%.0f goodput_vs_capacity=%.2f attempts_per_call=%.2f "
            + "server_executed_per_s=%.0f p50_us=%d p99_us=%d",
        client, capacity, offeredPerSec, calls, succeeded, goodput(), goodput() / capacity,
        attemptsPerCall(), executedPerSec, p50Micros, p99Micros);
  }
}

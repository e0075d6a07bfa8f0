package io.keelrpc.examples.load;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.examples.HelpOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen}: measures calls/s and latency percentiles of {@code echo} against a server in a
 * separate JVM on loopback, for each concurrency and cache setting. A measurement, not a test: it
 * reports numbers and passes no judgement on them.
 */
@Command(
    name = "loadgen",
    description = {
        "Measures keel/1 throughput and latency: starts an echo server in a separate JVM on "
            + "loopback, drives it through one KeelClient (one connection) keeping C calls "
            + "outstanding (closed loop), and prints one line per run and a Markdown table.",
        "Runs: every --cache setting x every --concurrency, each a warm-up (not counted) and a "
            + "measured window. Stops by itself; the server JVM is always ended."})
public final class LoadGenCommand implements Callable<Integer> {
  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
  private static final int MAX_CONCURRENCY = 10_000;
  /** Room for the JSON envelope around the payload in a 1 MiB frame. */
  private static final int MAX_PAYLOAD_BYTES = KeelFrameDecoder.DEFAULT_MAX_FRAME_BYTES - 1024;

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,16,64", paramLabel = "C",
      description = "Calls kept outstanding, one run per value (default: ${DEFAULT-VALUE}).")
  private List<Integer> concurrency;

  @Option(names = "--payload-bytes", defaultValue = "64", paramLabel = "N",
      description = "Length of the echoed string (default: ${DEFAULT-VALUE}).")
  private int payloadBytes;

  @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S",
      description = "Warm-up per run, not counted (default: ${DEFAULT-VALUE}).")
  private int warmupSeconds;

  @Option(names = "--seconds", defaultValue = "10", paramLabel = "S",
      description = "Measured window per run (default: ${DEFAULT-VALUE}).")
  private int seconds;

  @Option(names = "--cache", defaultValue = "both", paramLabel = "on|off|both",
      description = "The server's idempotency cache; both runs everything with it on, then off "
          + "(default: ${DEFAULT-VALUE}).")
  private CacheMode cache;

  private final List<LoadGenerator.Result> results = new ArrayList<>();

  /** The runs of the last {@link #call()}, in order. */
  public List<LoadGenerator.Result> results() {
    return List.copyOf(results);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("# loadgen: echo %d B over loopback, 1 client connection, closed loop; warm-up %d s"
            + " + %d s measured per run; %d cores shared by client and server JVMs; java %s%n",
        payloadBytes, warmupSeconds, seconds, Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    out.flush();
    results.clear();
    for (CacheMode mode : cache.runs()) {
      try (ServerProcess server = ServerProcess.start(mode, SERVER_START_TIMEOUT, System.err);
          KeelClient client = KeelClient.builder()
              .endpoint("127.0.0.1", server.port())
              .deadline(CALL_DEADLINE)
              .build()) {
        out.printf("# cache=%s: server JVM pid %d on 127.0.0.1:%d%n", mode, server.pid(),
            server.port());
        out.flush();
        // Connect and check the server answers before anything is timed.
        client.call(EchoService.ECHO, new EchoService.Echo("ready?"),
            CallOptions.builder().deadline(SERVER_START_TIMEOUT).build());
        LoadGenerator generator = new LoadGenerator(client, Ticker.system());
        for (int c : concurrency) {
          LoadGenerator.Result r = generator.run(mode, c, payloadBytes,
              Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(seconds));
          results.add(r);
          out.println(r.line());
          if (r.firstError() != null) {
            out.println("#   first error: " + r.firstError());
          }
          out.flush();
        }
      }
    }
    out.println();
    out.println(LoadGenerator.Result.markdownHeader());
    for (LoadGenerator.Result r : results) {
      out.println(r.markdownRow());
    }
    out.flush();
    return 0;
  }

  private void validate() {
    for (int c : concurrency) {
      check(c >= 1 && c <= MAX_CONCURRENCY, "--concurrency: " + c + " (expected: 1.."
          + MAX_CONCURRENCY + ")");
    }
    check(payloadBytes >= 0 && payloadBytes <= MAX_PAYLOAD_BYTES,
        "--payload-bytes: " + payloadBytes + " (expected: 0.." + MAX_PAYLOAD_BYTES + ")");
    check(warmupSeconds >= 0, "--warmup-seconds: " + warmupSeconds + " (expected: >= 0)");
    check(seconds >= 1, "--seconds: " + seconds + " (expected: >= 1)");
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}

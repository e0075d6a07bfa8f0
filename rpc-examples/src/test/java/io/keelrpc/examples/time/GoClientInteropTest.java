package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.counter.InMemoryCounterService;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Go program ({@code src/test/go}, standard library {@code net/rpc/jsonrpc} only) against
 * a Keel server serving the counter and the time service: built with the installed Go, offline,
 * with every Go cache in a temporary directory, then run; it checks every answer itself and exits
 * non-zero on a mismatch.
 *
 * <p>Tagged {@code go-interop}: it runs in the Maven profile of that name, which is active where
 * {@code /usr/bin/go} exists (see rpc-examples/pom.xml and .ci/run).
 */
@Tag("go-interop")
class GoClientInteropTest {
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(1);

  @TempDir
  Path tmp;

  private final InMemoryCounterService counters = new InMemoryCounterService();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final TimeService time = new TimeService(Ticker.system(),
      TimeServerCommand.scheduler(timers), Clock.systemUTC());
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = counters.registerOn(time.registerOn(KeelServer.builder().port(0))).start();
  }

  @AfterEach
  void stop() {
    server.close();
    time.close();
    timers.shutdownNow();
  }

  @Test
  void goProgramCallsTheCounterAndFollowsTheTimeStreamToIsFinal() throws Exception {
    Path binary = tmp.resolve("keel-go-interop");
    Result build = run(List.of(goBinary(), "build", "-o", binary.toString(), "."), BUILD_TIMEOUT);
    assertThat(build.exitCode()).as("go build:%n%s", build.output()).isZero();
    String key = "go-interop-" + UUID.randomUUID();

    Result run = run(List.of(binary.toString(), "-addr", "127.0.0.1:" + server.port(),
        "-key", key, "-interval", "1", "-duration", "2"), RUN_TIMEOUT);

    assertThat(run.exitCode()).as("Go program output:%n%s", run.output()).isZero();
    assertThat(run.output())
        .contains("Counter.Get(" + key + ") = 7")
        .contains("50 concurrent Counter.Inc on one connection")
        .contains("Time update #2: ")
        .contains("(final)")
        .endsWith("OK\n");
    assertThat(counters.get(key).value()).isEqualTo(7);
    assertThat(counters.get(key + "-concurrent").value()).isEqualTo(50);
    // the program closed its connection: its stream state is gone
    await().atMost(Duration.ofSeconds(5)).until(() -> time.activeStreams() == 0);
  }

  /** Runs {@code command} in the Go source directory with Go's state kept under {@link #tmp}. */
  private Result run(List<String> command, Duration timeout) throws IOException,
      InterruptedException {
    Path output = Files.createTempFile(tmp, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(goSource().toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    Map<String, String> env = pb.environment();
    env.put("GOCACHE", tmp.resolve("gocache").toString());
    env.put("GOPATH", tmp.resolve("gopath").toString());
    env.put("GOTMPDIR", "");
    env.put("GOENV", "off");
    env.put("GOFLAGS", "-mod=readonly");
    env.put("GOPROXY", "off");
    env.put("GOTOOLCHAIN", "local");
    env.put("GO111MODULE", "on");
    env.put("CGO_ENABLED", "0");
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not finish within " + timeout + ":\n"
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private static String goBinary() {
    return System.getProperty("keel.go", "/usr/bin/go");
  }

  private static Path goSource() {
    return Path.of(System.getProperty("keel.go.source", "src/test/go"));
  }

  private record Result(int exitCode, String output) {}
}

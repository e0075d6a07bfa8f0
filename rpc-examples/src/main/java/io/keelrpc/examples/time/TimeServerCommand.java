package io.keelrpc.examples.time;

import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.cli.ConfigFileOption;
import io.keelrpc.examples.counter.InMemoryCounterService;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code time-server}: serves the time service (and the counter) until Ctrl+C or SIGTERM. */
@Command(
    name = "time-server",
    description = {
        "Serves seed 004's time service (TimeService.RequestTimeStream, "
            + "TimeService.GetNextUpdate) and the counter (inc/get, Counter.Inc/Counter.Get) on "
            + "one port that speaks both keel/1 and Go's net/rpc/jsonrpc, until Ctrl+C or SIGTERM.",
        "Try it with rpc-examples/src/test/go (go run . -addr 127.0.0.1:PORT)."})
public final class TimeServerCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Mixin
  private ConfigFileOption config;

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  private String host;

  @Option(names = "--port", defaultValue = "7080", paramLabel = "PORT",
      description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "time-server-timers");
      t.setDaemon(true);
      return t;
    });
    TimeService time = new TimeService(Ticker.system(), scheduler(timers), Clock.systemUTC());
    KeelServer server = new InMemoryCounterService()
        .registerOn(time.registerOn(KeelServer.builder().host(host).port(port)))
        .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("time-server: shutting down");
      out.flush();
      server.close();
      time.close();
      timers.shutdownNow();
      out.println("time-server: stopped");
      out.flush();
      stopped.countDown();
    }, "time-server-shutdown"));
    out.println("time-server: listening on " + host + ":" + server.port()
        + " (keel/1 and Go net/rpc/jsonrpc; Ctrl+C to stop)");
    out.flush();
    stopped.await();
    return 0;
  }

  /** A {@link Scheduler} on {@code executor}. */
  static Scheduler scheduler(ScheduledExecutorService executor) {
    return (task, delayNanos) -> {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos),
          TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}

package io.keelrpc.examples.kv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultStats;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.cli.ConfigFileOption;
import io.keelrpc.examples.kv.storage.FsyncPolicy;
import io.keelrpc.examples.kv.storage.KvStorage;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.metrics.MicrometerServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kv-server}: serves {@code kv.get}/{@code kv.put} on one of the {@link KvBackend}s until
 * Ctrl+C or SIGTERM. Its first line on stdout is one JSON object with the bound port, for
 * scripts and tests:
 *
 * <pre>
 * {"event":"listening","host":"127.0.0.1","port":41234,"backend":"file","dataDir":"/tmp/kv",
 *  "fsync":"always"}
 * </pre>
 */
@Command(
    name = "kv-server",
    description = {
        "Serves the versioned key-value store (kv.get, kv.put) on a keel/1 port until Ctrl+C or "
            + "SIGTERM, then shuts down gracefully and closes the store.",
        "The first line on stdout is a JSON object with the bound port "
            + "({\"event\":\"listening\",...,\"port\":N,...}).",
        "The same port answers HTTP: GET /health, GET /metrics (Prometheus text), POST /rpc "
            + "(JSON-RPC 2.0)."})
public final class KvServerCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Mixin
  private ConfigFileOption config;

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  private String host;

  @Option(names = "--port", defaultValue = "7070", paramLabel = "PORT",
      description = "Port to bind, 0 for any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--backend", defaultValue = "memory", paramLabel = "memory|file|sqlite",
      converter = BackendConverter.class,
      description = "Where the data lives (default: ${DEFAULT-VALUE}).")
  private KvBackend backend;

  @Option(names = "--data-dir", defaultValue = "kv-data", paramLabel = "DIR",
      description = "Directory of the file and sqlite backends, created if missing "
          + "(default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(names = "--fsync", defaultValue = "always", paramLabel = "always|interval|never",
      description = "When the file and sqlite backends force writes to disk: before each "
          + "acknowledgement, every --fsync-interval-ms, or only on close (default: "
          + "${DEFAULT-VALUE}). Each survives a process crash; only always survives power loss "
          + "without losing acknowledged writes.")
  private String fsync;

  @Option(names = "--fsync-interval-ms", defaultValue = "100", paramLabel = "MS",
      description = "The interval of --fsync interval (default: ${DEFAULT-VALUE}).")
  private long fsyncIntervalMs;

  @Option(names = "--writer-history", defaultValue = "16", paramLabel = "N",
      description = "Writer ids remembered per key to recognise retried writes (default: "
          + "${DEFAULT-VALUE}).")
  private int writerHistory;

  @Option(names = "--faults", paramLabel = "JSON",
      description = "Fault injector on the server, in FaultInjector.fromJson form "
          + "(docs/fault-injection.md), e.g. {\"seed\":1,\"all\":{\"dropResponse\":0.1}}; "
          + "its counters are printed on stopping (default: no faults).")
  private String faults;

  @Override
  public Integer call() throws IOException, InterruptedException {
    FsyncPolicy policy = fsyncPolicy();
    if (writerHistory < 1) {
      throw new ParameterException(spec.commandLine(),
          "--writer-history: " + writerHistory + " (expected: >= 1)");
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(),
          "--port: " + port + " (expected: 0..65535)");
    }
    FaultInjector injector = null;
    if (faults != null) {
      try {
        injector = FaultInjector.fromJson(KeelJson.mapper().readTree(faults));
      } catch (IOException | IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--faults: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir.toAbsolutePath();
    KvStorage storage = backend.open(dir, policy, writerHistory);
    KeelServer server;
    try {
      // The same port answers HTTP: GET /health, GET /metrics (Prometheus), POST /rpc.
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      KeelServer.Builder builder = KeelServer.builder().host(host).port(port)
          .listener(new MicrometerServerMetrics(metrics))
          .metricsEndpoint(metrics::scrape);
      if (injector != null) {
        builder.faultInjector(injector);
      }
      server = KvService.register(builder, storage).start();
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    FaultInjector installed = injector;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      print(out, event("stopping"));
      try {
        server.close();
      } finally {
        storage.close();
        if (installed != null) {
          FaultStats f = installed.stats();
          print(out, event("faults").put("requestsDropped", f.requestsDropped())
              .put("responsesDropped", f.responsesDropped()).put("delayed", f.delayed())
              .put("duplicated", f.duplicated()).put("disconnects", f.disconnects()));
        }
        print(out, event("stopped"));
        stopped.countDown();
      }
    }, "kv-server-shutdown"));
    ObjectNode listening = event("listening")
        .put("host", host)
        .put("port", server.port())
        .put("backend", backend.cliName());
    if (backend != KvBackend.MEMORY) {
      listening.put("dataDir", dir.toString()).put("fsync", policy.toString());
    }
    print(out, listening);
    stopped.await();
    return 0;
  }

  private FsyncPolicy fsyncPolicy() {
    switch (fsync.toLowerCase(Locale.ROOT)) {
      case "always":
        return FsyncPolicy.always();
      case "never":
        return FsyncPolicy.never();
      case "interval":
        if (fsyncIntervalMs < 1) {
          throw new ParameterException(spec.commandLine(),
              "--fsync-interval-ms: " + fsyncIntervalMs + " (expected: >= 1)");
        }
        return FsyncPolicy.every(Duration.ofMillis(fsyncIntervalMs));
      default:
        throw new ParameterException(spec.commandLine(),
            "--fsync: " + fsync + " (expected: always, interval or never)");
    }
  }

  private static ObjectNode event(String name) {
    return KeelJson.mapper().createObjectNode().put("event", name);
  }

  private static void print(PrintWriter out, ObjectNode line) {
    out.println(line);
    out.flush();
  }

  /** Reads {@code --backend} in any case. */
  static final class BackendConverter implements ITypeConverter<KvBackend> {
    @Override
    public KvBackend convert(String value) {
      return KvBackend.parse(value);
    }
  }
}

package io.keelrpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.KeelClient;
import io.keelrpc.examples.Main;
import io.keelrpc.examples.counter.CounterService;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import io.keelrpc.examples.counter.InMemoryCounterService;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How {@link ConfigFile} turns JSON and YAML values into option text. */
class ConfigFileTest {
  @TempDir
  Path dir;

  /** A command with each kind of option a config file may set. */
  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin
    ConfigFileOption config;

    @Option(names = "--sizes", split = ",", defaultValue = "1")
    List<Integer> sizes;

    @Option(names = "--rules")
    String rules;

    @Option(names = "--verbose")
    boolean verbose;

    @Option(names = "--rate", defaultValue = "0.5")
    double rate;

    @Override
    public void run() {}
  }

  @Test
  void listsJoinForSplitOptionsAndStructuresBecomeJson() throws IOException {
    Path yaml = Files.writeString(dir.resolve("probe.yaml"), """
        sizes: [4, 16, 64]
        rules:
          - {method: inc, drop: 0.1}
        verbose: true
        rate: null
        """);

    Probe probe = parse(yaml);

    assertThat(probe.sizes).containsExactly(4, 16, 64);
    assertThat(probe.rules).isEqualTo("[{\"method\":\"inc\",\"drop\":0.1}]");
    assertThat(probe.verbose).isTrue();
    assertThat(probe.rate).isEqualTo(0.5); // null: as if absent
    assertThat(probe.config.file()).contains(yaml);
  }

  @Test
  void jsonFileReadsTheSameValues() throws IOException {
    Path json = Files.writeString(dir.resolve("probe.json"),
        "{\"sizes\": [2, 3], \"rate\": 0.25, \"verbose\": false}");

    Probe probe = parse(json);

    assertThat(probe.sizes).containsExactly(2, 3);
    assertThat(probe.rate).isEqualTo(0.25);
    assertThat(probe.verbose).isFalse();
  }

  @Test
  void emptyFileSetsNothing() throws IOException {
    Probe probe = parse(Files.writeString(dir.resolve("empty.yaml"), ""));

    assertThat(probe.sizes).containsExactly(1);
    assertThat(probe.rate).isEqualTo(0.5);
  }

  @Test
  void counterClientReachesTheServerNamedInItsConfigFile() throws IOException {
    try (KeelServer server = new InMemoryCounterService()
            .registerOn(KeelServer.builder().host("127.0.0.1").port(0)).start();
        KeelClient check = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      Path yaml = Files.writeString(dir.resolve("client.yaml"),
          "host: 127.0.0.1\nport: " + server.port() + "\nkey: from-file\ndelta: 5\n");
      CommandLine cl = Main.commandLine(Map.of());
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out, true));

      int exitCode = cl.execute("counter-client", "--config", yaml.toString());

      assertThat(exitCode).isZero();
      assertThat(out.toString()).contains("from-file");
      assertThat(check.call(CounterService.GET, new KeyParams("from-file")).value())
          .isEqualTo(15);
    }
  }

  private static Probe parse(Path file) {
    Probe probe = new Probe();
    CommandLine cl = new CommandLine(probe);
    cl.setDefaultValueProvider(new EnvDefaults(Map.of()));
    cl.parseArgs("--config", file.toString());
    return probe;
  }
}

package io.keelrpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.Main;
import io.keelrpc.examples.kv.KvBackend;
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

/** Option values from KEEL_* variables and --config files, and their precedence. */
class EnvDefaultsTest {
  @TempDir
  Path dir;

  @Test
  void environmentVariableSetsTheOptionOfTheSameName() {
    CommandLine cl = parse(Map.of("KEEL_PORT", "7171", "KEEL_DATA_DIR", "/srv/kv",
        "KEEL_FSYNC_INTERVAL_MS", "250"), "kv-server");

    assertThat(value(cl, "kv-server", "--port")).isEqualTo(7171);
    assertThat(value(cl, "kv-server", "--data-dir")).isEqualTo(Path.of("/srv/kv"));
    assertThat(value(cl, "kv-server", "--fsync-interval-ms")).isEqualTo(250L);
    assertThat(value(cl, "kv-server", "--host")).isEqualTo("127.0.0.1"); // built-in default
  }

  @Test
  void environmentVariableFillsASplitOption() {
    CommandLine cl = parse(Map.of("KEEL_CONCURRENCY", "2,8"), "loadgen");

    assertThat(value(cl, "loadgen", "--concurrency")).isEqualTo(List.of(2, 8));
  }

  @Test
  void flagOverridesEnvironmentVariable() {
    CommandLine cl = parse(Map.of("KEEL_PORT", "7171"), "kv-server", "--port", "7272");

    assertThat(value(cl, "kv-server", "--port")).isEqualTo(7272);
  }

  @Test
  void yamlConfigFileSitsBetweenEnvironmentAndDefault() throws IOException {
    Path yaml = write("kv.yaml", """
        # kv-server settings
        host: 0.0.0.0
        port: 7373
        backend: file
        fsync: interval
        """);

    CommandLine cl = parse(Map.of("KEEL_HOST", "127.0.0.2"), "kv-server", "--config",
        yaml.toString(), "--fsync", "never");

    assertThat(value(cl, "kv-server", "--host")).isEqualTo("127.0.0.2"); // env beats file
    assertThat(value(cl, "kv-server", "--port")).isEqualTo(7373); // file beats default
    assertThat(value(cl, "kv-server", "--fsync")).isEqualTo("never"); // flag beats file
    assertThat(value(cl, "kv-server", "--backend")).isEqualTo(KvBackend.FILE);
    assertThat(value(cl, "kv-server", "--writer-history")).isEqualTo(16); // default
  }

  @Test
  void jsonConfigFileNamedByEnvironmentPassesAMappingAsJsonText() throws IOException {
    Path json = write("kv.json",
        "{\"port\": 7474, \"faults\": {\"seed\": 1, \"all\": {\"dropResponse\": 0.1}}}");

    CommandLine cl = parse(Map.of("KEEL_CONFIG", json.toString()), "kv-server");

    assertThat(value(cl, "kv-server", "--port")).isEqualTo(7474);
    assertThat(value(cl, "kv-server", "--faults"))
        .isEqualTo("{\"seed\":1,\"all\":{\"dropResponse\":0.1}}");
  }

  @Test
  void configFileOfTimeClientSetsServerAddressAndStream() throws IOException {
    Path yaml = write("time-client.yml", "host: 127.0.0.3\nport: 9090\ninterval: 2\n");

    CommandLine cl = parse(Map.of(), "time-client", "--config", yaml.toString());

    assertThat(value(cl, "time-client", "--host")).isEqualTo("127.0.0.3");
    assertThat(value(cl, "time-client", "--port")).isEqualTo(9090);
    assertThat(value(cl, "time-client", "--interval")).isEqualTo(2L);
    assertThat(value(cl, "time-client", "--duration")).isEqualTo(5L);
  }

  @Test
  void commandRunsWithAValueFromTheEnvironment() {
    Run run = execute(Map.of("KEEL_KEY", "from-env"), "counter-demo");

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("calling inc(\"from-env\", 2) three times");
  }

  @Test
  void helpShowsTheEffectiveDefaultAndTheVariables() {
    Run run = execute(Map.of("KEEL_PORT", "7171"), "counter-server", "--help");

    assertThat(run.exitCode).isZero();
    assertThat(run.out)
        .contains("Port to bind, 0 for any free port (default: 7171)")
        .contains("KEEL_CONFIG KEEL_HOST KEEL_PORT")
        .contains("Precedence: command-line flag > KEEL_* variable > --config file > default.");
  }

  @Test
  void unconvertibleEnvironmentValueIsAUsageErrorNamingTheVariable() {
    Run run = execute(Map.of("KEEL_PORT", "seventy"), "kv-server");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("Invalid value for option '--port': 'seventy' is not an int "
        + "(from environment variable KEEL_PORT)");
  }

  @Test
  void unconvertibleConfigValueIsAUsageErrorNamingTheFileAndKey() throws IOException {
    Path yaml = write("bad.yaml", "writer-history: lots\n");

    Run run = execute(Map.of(), "kv-server", "--config", yaml.toString());

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("Invalid value for option '--writer-history': 'lots' is not an "
        + "int (from config file " + yaml + ", key writer-history)");
  }

  @Test
  void unknownConfigKeyIsAUsageErrorListingTheKnownKeys() throws IOException {
    Path yaml = write("typo.yaml", "prot: 7070\n");

    Run run = execute(Map.of(), "counter-server", "--config", yaml.toString());

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("Invalid config file " + yaml
        + ": unknown key 'prot'; counter-server takes host, port");
  }

  @Test
  void malformedOrMissingConfigFileIsAUsageError() throws IOException {
    Path badJson = write("bad.json", "{\"port\": ");
    Path list = write("list.yaml", "- port\n- 7070\n");
    Path missing = dir.resolve("missing.yaml");

    Run json = execute(Map.of(), "time-server", "--config", badJson.toString());
    Run notMapping = execute(Map.of(), "time-server", "--config", list.toString());
    Run absent = execute(Map.of("KEEL_CONFIG", missing.toString()), "time-server");

    assertThat(json.exitCode).isEqualTo(2);
    assertThat(json.err).contains("Invalid config file " + badJson + ": not valid JSON: ");
    assertThat(notMapping.exitCode).isEqualTo(2);
    assertThat(notMapping.err).contains("Invalid config file " + list
        + ": expected a mapping of option names to values, found array");
    assertThat(absent.exitCode).isEqualTo(2);
    assertThat(absent.err).contains("Invalid config file " + missing + ": no such file");
  }

  @Test
  void commandsWithoutConfigOptionDoNotReadKeelConfig() throws IOException {
    Path yaml = write("kv.yaml", "key: from-file\n");

    CommandLine cl = parse(Map.of("KEEL_CONFIG", yaml.toString()), "counter-demo");

    assertThat(value(cl, "counter-demo", "--key")).isEqualTo("counter");
  }

  @Test
  void variableNamesFollowTheLongestOptionName() {
    CommandLine cl = Main.commandLine(Map.of());

    assertThat(EnvDefaults.variableName(
        cl.getSubcommands().get("kv-server").getCommandSpec().findOption("--fsync-interval-ms")))
        .isEqualTo("KEEL_FSYNC_INTERVAL_MS");
  }

  @Test
  void childProcessesOfExamplesDoNotInheritKeelVariables() {
    ProcessBuilder child = new ProcessBuilder("java", "-version");
    child.environment().put("KEEL_PORT", "7171");
    child.environment().put("KEEL_CONFIG", "/etc/keel.yaml");
    child.environment().put("KEELHAUL", "kept");

    EnvDefaults.withoutKeelVariables(child);

    assertThat(child.environment()).doesNotContainKeys("KEEL_PORT", "KEEL_CONFIG")
        .containsEntry("KEELHAUL", "kept");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static CommandLine parse(Map<String, String> env, String... args) {
    CommandLine cl = Main.commandLine(env);
    cl.parseArgs(args);
    return cl;
  }

  private static Object value(CommandLine cl, String command, String option) {
    return cl.getSubcommands().get(command).getCommandSpec().findOption(option).getValue();
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run execute(Map<String, String> env, String... args) {
    CommandLine cl = Main.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exitCode = cl.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}

package io.keelrpc.examples;

import io.keelrpc.examples.append.AppendDemoCommand;
import io.keelrpc.examples.cli.EnvDefaults;
import io.keelrpc.examples.counter.CounterClientCommand;
import io.keelrpc.examples.counter.CounterDemoCommand;
import io.keelrpc.examples.counter.CounterServerCommand;
import io.keelrpc.examples.kv.KvServerCommand;
import io.keelrpc.examples.scenario.ScenarioCommand;
import io.keelrpc.examples.load.LoadGenCommand;
import io.keelrpc.examples.load.LoadGenServerCommand;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The entry point of {@code keel-examples.jar}: one subcommand per example.
 *
 * <pre>
 * java -jar rpc-examples/target/keel-examples.jar counter-demo
 * java -jar rpc-examples/target/keel-examples.jar loadgen --help
 * java -jar rpc-examples/target/keel-examples.jar kv-server --backend file --data-dir kv-data
 * </pre>
 *
 * <p>Tests run a subcommand in-process with {@link #commandLine()}{@code .execute(args)} after
 * {@code setOut}/{@code setErr}; every command writes through those writers.
 */
@Command(
    name = "keel-examples",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runnable examples of Keel, a keel/1 (length-prefixed JSON-RPC) library.",
    commandListHeading = "%nExamples:%n",
    footer = {"", "Run an example with --help for its options. Options also come from KEEL_* "
        + "environment variables (--port: KEEL_PORT) and, on servers and clients, a --config "
        + "JSON/YAML file; see docs/cli.md."},
    subcommands = {
        CounterDemoCommand.class,
        io.keelrpc.examples.counter.CounterProxyDemoCommand.class,
        CounterServerCommand.class,
        CounterClientCommand.class,
        AppendDemoCommand.class,
        ScenarioCommand.class,
        KvServerCommand.class,
        io.keelrpc.examples.chaos.ChaosSoakCommand.class,
        io.keelrpc.examples.time.TimeServerCommand.class,
        io.keelrpc.examples.time.TimeClientCommand.class,
        io.keelrpc.examples.http.HttpFetchCommand.class,
        io.keelrpc.examples.eventlog.EventLogCommand.class,
        LoadGenCommand.class,
        LoadGenServerCommand.class,
        io.keelrpc.examples.lab.LatencyLabCommand.class,
    })
public final class Main implements Runnable {
  /** How the jar is run from the repository root; every usage line starts with it. */
  public static final String LAUNCHER = "java -jar rpc-examples/target/keel-examples.jar";

  @Spec
  private CommandSpec spec;

  /** Without a subcommand: print the usage and fail. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing example: choose one below");
  }

  /**
   * The command line with every example and its usage line, options also read from this
   * process's {@code KEEL_*} environment variables; not yet executed.
   */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /**
   * {@link #commandLine()} with options read from {@code environment} instead (see
   * {@link EnvDefaults}: flag, then {@code KEEL_*} variable, then {@code --config} file, then
   * default).
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine cl = new CommandLine(new Main());
    cl.getCommandSpec().usageMessage().customSynopsis(LAUNCHER + " <example> [options]");
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage()
          .customSynopsis(LAUNCHER + " " + sub.getCommandName() + " [options]");
    }
    new EnvDefaults(environment).install(cl);
    return cl;
  }

  /** Runs the example named by {@code args[0]} and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"keel-examples " + (v == null ? "(development build)" : v)};
    }
  }
}

package io.keelrpc.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option values from {@code KEEL_*} environment variables and {@code --config} files, for every
 * example command.
 *
 * <p>Option {@code --foo-bar} of any command reads the environment variable {@code KEEL_FOO_BAR}
 * ({@code --port} reads {@code KEEL_PORT}). A command that mixes in {@link ConfigFileOption} also
 * reads its {@code --config FILE} (or {@code KEEL_CONFIG}) through {@link ConfigFile}. An option's
 * value is, first found wins: the flag on the command line, the environment variable, the config
 * file, the option's built-in default. Help options and hidden options are left alone.
 *
 * <p>Picocli asks a default provider only about options the command line did not set, after it
 * has parsed the command line, so a {@code --config} flag is known when the file's values are
 * needed. A value that does not convert is picocli's usage error, with where the value came from
 * added (see {@link #install(CommandLine)}).
 */
public final class EnvDefaults implements IDefaultValueProvider {
  /** The prefix of every environment variable the examples read. */
  public static final String PREFIX = "KEEL_";
  /** The option naming a config file, on the commands that mix in {@link ConfigFileOption}. */
  public static final String CONFIG_OPTION = "--config";

  private final Map<String, String> environment;
  private final Map<String, ConfigFile> configFiles = new HashMap<>();
  private final Map<ArgSpec, String> origins = new IdentityHashMap<>();

  /** Values from {@code environment}, e.g. {@link System#getenv()} (tests pass their own map). */
  public EnvDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Values from this process's environment. */
  public static EnvDefaults fromSystemEnvironment() {
    return new EnvDefaults(System.getenv());
  }

  /** The environment variable of {@code option}: {@code --fsync-interval-ms} is
   * {@code KEEL_FSYNC_INTERVAL_MS}. */
  public static String variableName(OptionSpec option) {
    return PREFIX + option.longestName().replaceFirst("^-+", "")
        .replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Removes every {@code KEEL_*} variable from the environment of {@code child}, a JVM running
   * another example (a server the command starts), so it sees only the flags it is given, not
   * the variables meant for its parent. Returns {@code child}.
   */
  public static ProcessBuilder withoutKeelVariables(ProcessBuilder child) {
    child.environment().keySet().removeIf(name -> name.startsWith(PREFIX));
    return child;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !configurable(option)) {
      return null;
    }
    String variable = variableName(option);
    String value = environment.get(variable);
    if (value != null) {
      origins.put(option, "environment variable " + variable);
      return value;
    }
    if (CONFIG_OPTION.equals(option.longestName())) {
      return null;
    }
    ConfigFile config = configFile(option.command());
    value = config == null ? null : config.value(option);
    if (value != null) {
      origins.put(option, "config file " + config.path() + ", key " + ConfigFile.key(option));
    }
    return value;
  }

  /**
   * Makes this the default provider of {@code root} and all its subcommands, adds where the value
   * came from to picocli's message about a value that does not convert, and appends to each
   * subcommand's usage help the environment variables it reads and the order of precedence.
   */
  public void install(CommandLine root) {
    root.setDefaultValueProvider(this);
    IParameterExceptionHandler picocli = root.getParameterExceptionHandler();
    root.setParameterExceptionHandler((ex, args) -> picocli.handleParseException(withOrigin(ex),
        args));
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
      footer.addAll(usageFooter(spec));
      spec.usageMessage().footer(footer.toArray(String[]::new));
    }
  }

  /** Where the value of {@code arg} came from when this provider supplied it, else null. */
  String origin(ArgSpec arg) {
    return arg == null ? null : origins.get(arg);
  }

  private ParameterException withOrigin(ParameterException ex) {
    String origin = origin(ex.getArgSpec());
    if (origin == null) {
      return ex;
    }
    return new ParameterException(ex.getCommandLine(), ex.getMessage() + " (from " + origin + ")",
        ex, ex.getArgSpec(), ex.getValue());
  }

  private ConfigFile configFile(CommandSpec command) {
    OptionSpec configOption = command.findOption(CONFIG_OPTION);
    if (configOption == null) {
      return null;
    }
    Object given = configOption.getValue(); // set when --config was on the command line
    String path = given != null ? given.toString() : environment.get(variableName(configOption));
    if (path == null || path.isEmpty()) {
      return null;
    }
    String cacheKey = command.qualifiedName() + "\n" + path;
    ConfigFile config = configFiles.get(cacheKey);
    if (config == null) {
      config = ConfigFile.read(Path.of(path), command, configurableOptions(command));
      configFiles.put(cacheKey, config);
    }
    return config;
  }

  private static List<OptionSpec> configurableOptions(CommandSpec command) {
    List<OptionSpec> options = new ArrayList<>();
    for (OptionSpec option : command.options()) {
      if (configurable(option) && !CONFIG_OPTION.equals(option.longestName())) {
        options.add(option);
      }
    }
    return options;
  }

  private static boolean configurable(OptionSpec option) {
    return option.longestName().startsWith("--") && !option.usageHelp() && !option.versionHelp()
        && !option.hidden();
  }

  /** The usage footer lines about environment variables and precedence. */
  static List<String> usageFooter(CommandSpec command) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    List<String> names = new ArrayList<>();
    for (OptionSpec option : command.options()) {
      if (configurable(option)) {
        names.add(variableName(option));
      }
    }
    if (names.isEmpty()) {
      lines.add("Environment: none (no options to set).");
      return lines;
    }
    lines.add("Environment: each option --foo-bar can also be set as KEEL_FOO_BAR:");
    StringBuilder line = new StringBuilder(" ");
    for (String name : names) {
      if (line.length() + name.length() + 2 > 78) {
        lines.add(line.toString());
        line = new StringBuilder(" ");
      }
      line.append(' ').append(name);
    }
    if (line.length() > 1) {
      lines.add(line.toString());
    }
    lines.add(command.findOption(CONFIG_OPTION) != null
        ? "Precedence: command-line flag > KEEL_* variable > --config file > default."
        : "Precedence: command-line flag > KEEL_* variable > default.");
    return lines;
  }
}

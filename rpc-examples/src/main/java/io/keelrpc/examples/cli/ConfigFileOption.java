package io.keelrpc.examples.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of the examples that run as services (mixed in with
 * {@code @Mixin}). {@link EnvDefaults} reads the file: a JSON or YAML mapping from option names
 * without their dashes to values, e.g. {@code port: 7080}. A flag or a {@code KEEL_*} environment
 * variable overrides the file; the file overrides the built-in default.
 */
public final class ConfigFileOption {
  @Option(names = EnvDefaults.CONFIG_OPTION, paramLabel = "FILE",
      description = "JSON or YAML file of option values, keys are option names without the "
          + "dashes (e.g. port: 7080); .json is read as JSON, anything else as YAML. Also "
          + "KEEL_CONFIG.")
  private Path file;

  /** The config file given by {@code --config} or {@code KEEL_CONFIG}, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }
}

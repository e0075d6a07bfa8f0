package io.keelrpc.examples;

import picocli.CommandLine.Option;

/** The {@code -h, --help} option every example carries (mixed in with {@code @Mixin}). */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;
}

package io.keelrpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every subcommand of Main has --help, which names its KEEL_* variables. */
class CliHelpTest {
  static Stream<String> examples() {
    return Main.commandLine(Map.of()).getSubcommands().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void helpExitsZeroWithUsageAndEnvironment(String example) {
    CommandLine cl = Main.commandLine(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    int exitCode = cl.execute(example, "--help");

    assertThat(exitCode).as(err.toString()).isZero();
    assertThat(out.toString())
        .startsWith("Usage: " + Main.LAUNCHER + " " + example + " [options]")
        .contains("Environment: ");
    List<String> variables = new ArrayList<>();
    for (OptionSpec option : cl.getSubcommands().get(example).getCommandSpec().options()) {
      if (option.longestName().startsWith("--") && !option.hidden() && !option.usageHelp()
          && !option.versionHelp()) {
        variables.add(EnvDefaults.variableName(option));
      }
    }
    if (variables.isEmpty()) {
      assertThat(out.toString()).contains("Environment: none (no options to set).");
    } else {
      assertThat(out.toString())
          .contains("Environment: each option --foo-bar can also be set as KEEL_FOO_BAR:")
          .contains("Precedence: command-line flag > KEEL_* variable > ");
      for (String variable : variables) {
        assertThat(out.toString()).as(example).containsPattern("\\b" + variable + "\\b");
      }
    }
  }
}

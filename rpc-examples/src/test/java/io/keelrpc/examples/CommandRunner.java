package io.keelrpc.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a keel-examples command in this JVM, capturing what it prints. */
public final class CommandRunner {
  /** The outcome of one execution. */
  public record Execution(int exitCode, String out, String err, CommandLine commandLine) {
    /** The command object of subcommand {@code name}, to read what it kept. */
    public <T> T subcommand(String name) {
      return commandLine.getSubcommands().get(name).getCommand();
    }
  }

  private CommandRunner() {}

  /** Executes {@code args} as {@code java -jar keel-examples.jar args...} would, in-process. */
  public static Execution execute(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exitCode = cl.execute(args);
    return new Execution(exitCode, out.toString(), err.toString(), cl);
  }
}

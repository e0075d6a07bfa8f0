package io.keelrpc.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar rpc-bench/target/keel-bench.jar <command>}: the end-to-end load generator
 * comparing Keel with gRPC-java, a bare JSON-RPC echo on Netty and a raw Netty echo.
 */
@Command(
    name = "keel-bench",
    mixinStandardHelpOptions = true,
    version = "keel-bench 0.1.0-SNAPSHOT",
    description = "End-to-end echo benchmarks over loopback: Keel (idempotency cache on/off), "
        + "gRPC-java, bare JSON-RPC on Netty, raw Netty. Server and driver run in separate JVMs.",
    subcommands = {
        RunCommand.class,
        MatrixCommand.class,
        ServerCommand.class,
        io.keelrpc.bench.overload.OverloadCommand.class,
        CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

package io.keelrpc.examples.append;

import io.keelrpc.examples.HelpOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code append-demo}: duplicates against a naive and an idempotent append. */
@Command(
    name = "append-demo",
    description = {
        "Delivers the same append twice (1) to a naive append(list, item), which adds the item "
            + "twice; (2) to appendOnce(list, itemId, item) with the item id as idempotency "
            + "key, which adds it once; (3) to appendOnce on a server with its idempotency cache "
            + "off, which still adds it once. Servers run in this process on free loopback ports."})
public final class AppendDemoCommand implements Callable<Integer> {
  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    new AppendDemo(new InMemoryAppendService(), new InMemoryAppendService())
        .run(spec.commandLine().getOut());
    return 0;
  }
}

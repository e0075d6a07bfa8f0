package io.keelrpc.examples.counter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.examples.HelpOption;
import io.keelrpc.examples.counter.CounterService.Counter;
import io.keelrpc.examples.counter.CounterService.IncParams;
import io.keelrpc.examples.counter.CounterService.KeyParams;
import io.keelrpc.server.KeelServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code counter-proxy-demo}: {@code counter-demo} in the proxy style. The server exports
 * {@link CounterApi}; the client calls it through {@code client.proxy(CounterApi.class)}.
 */
@Command(
    name = "counter-proxy-demo",
    description = "counter-demo with plain Java interfaces: exports CounterApi on a free loopback "
        + "port, calls inc(key, 2) three times and get(key) once through client.proxy, prints "
        + "each reply, and exits (status 0 if get read 6).")
public final class CounterProxyDemoCommand implements Callable<Integer> {
  private static final long DELTA = 2;
  private static final ObjectMapper JSON = KeelJson.mapper();

  @Mixin
  private HelpOption help;

  @Spec
  private CommandSpec spec;

  @Option(names = "--key", defaultValue = "counter", paramLabel = "KEY",
      description = "The counter to use (default: ${DEFAULT-VALUE}).")
  private String key;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (KeelServer server = KeelServer.builder().host("127.0.0.1").port(0)
            .export(CounterApi.class, CounterApi.over(new InMemoryCounterService()))
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      CounterApi counters = client.proxy(CounterApi.class);
      out.println("# CounterApi exported on 127.0.0.1:" + server.port() + "; calling inc(\""
          + key + "\", " + DELTA + ") three times through a proxy, then get(\"" + key + "\")");
      IncParams inc = new IncParams(key, DELTA);
      for (int i = 0; i < 3; i++) {
        print(out, "inc", inc, counters.inc(inc));
      }
      KeyParams get = new KeyParams(key);
      Counter last = print(out, "get", get, counters.get(get).join());
      boolean ok = last.value() == 3 * DELTA;
      out.println(ok
          ? "# ok: three increments of " + DELTA + " read back as " + last.value()
          : "# unexpected: three increments of " + DELTA + " read back as " + last.value());
      out.flush();
      return ok ? 0 : 1;
    }
  }

  private static Counter print(PrintWriter out, String method, Object params, Counter result) {
    ObjectNode line = JSON.createObjectNode().put("method", method);
    line.set("params", JSON.valueToTree(params));
    line.set("result", JSON.valueToTree(result));
    out.println(line);
    out.flush();
    return result;
  }
}

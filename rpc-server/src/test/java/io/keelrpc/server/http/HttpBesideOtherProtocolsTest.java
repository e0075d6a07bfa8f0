package io.keelrpc.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One port, three protocols at once: keel/1, Go's net/rpc/jsonrpc and HTTP share the handlers. */
class HttpBesideOtherProtocolsTest extends HttpTestSupport {
  private static final int CONNECTIONS_PER_PROTOCOL = 3;
  private static final int CALLS_PER_CONNECTION = 30;

  private final CounterService counters = new CounterService();
  private final ExecutorService pool = Executors.newFixedThreadPool(3 * CONNECTIONS_PER_PROTOCOL);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void keel1GoAndHttpConnectionsAtOnceAllReachTheSameCounter() throws Exception {
    KeelServer server = start(counters.registerOn(builder().workerThreads(4)));
    List<Future<Set<Long>>> runs = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS_PER_PROTOCOL; i++) {
      runs.add(pool.submit(keel1Incs(server)));
      runs.add(pool.submit(goIncs(server)));
      runs.add(pool.submit(httpIncs(server)));
    }

    Set<Long> values = new HashSet<>();
    for (Future<Set<Long>> run : runs) {
      values.addAll(run.get(30, TimeUnit.SECONDS));
    }

    long total = 3L * CONNECTIONS_PER_PROTOCOL * CALLS_PER_CONNECTION;
    assertThat(counters.value("shared")).isEqualTo(total);
    assertThat(values).hasSize((int) total); // every increment saw its own value: none lost
  }

  private static String inc(String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"inc\","
        + "\"params\":{\"key\":\"shared\"}}";
  }

  private Callable<Set<Long>> keel1Incs(KeelServer server) {
    return () -> {
      Set<Long> seen = new HashSet<>();
      try (FrameClient c = FrameClient.connect(server.port())) {
        for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
          seen.add(assertResult(c.call(inc("\"" + newId() + "\""))).get("value").asLong());
        }
      }
      return seen;
    };
  }

  private Callable<Set<Long>> goIncs(KeelServer server) {
    return () -> {
      Set<Long> seen = new HashSet<>();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        BufferedReader in = new BufferedReader(
            new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
          out.write(("{\"method\":\"inc\",\"params\":[{\"key\":\"shared\"}],\"id\":" + i + "}\n")
              .getBytes(StandardCharsets.UTF_8));
          JsonNode answer = JSON.readTree(in.readLine());
          assertThat(answer.get("id").asInt()).isEqualTo(i);
          seen.add(answer.get("result").get("value").asLong());
        }
      }
      return seen;
    };
  }

  private Callable<Set<Long>> httpIncs(KeelServer server) {
    return () -> {
      Set<Long> seen = new HashSet<>();
      try (HttpWire w = HttpWire.connect(server.port())) {
        for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
          HttpWire.Response r = w.exchange(HttpWire.post("/rpc", inc(String.valueOf(i)), ""));
          assertThat(r.status()).isEqualTo(200);
          seen.add(assertResult(r.json()).get("value").asLong());
        }
      }
      return seen;
    };
  }
}

package io.keelrpc.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Keel client on {@code keel/1} and an HTTP client on the same server port at once. */
class KeelClientBesideHttpTest {
  record Inc(String key, long delta) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);
  private static final int CALLS = 100;

  @Test
  void keelClientAndHttpClientShareOnePortAndOneCounter() throws Exception {
    AtomicLong value = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
        .connectTimeout(Duration.ofSeconds(5)).build();
    ObjectMapper json = new ObjectMapper();
    try (KeelServer server = KeelServer.builder().port(0).ioThreads(1).workerThreads(2)
            .handle(INC, (p, ctx) -> new Counter(p.key(), value.addAndGet(p.delta())))
            .start();
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      URI rpc = URI.create("http://127.0.0.1:" + server.port() + "/rpc");
      CompletableFuture<Set<Long>> overHttp = CompletableFuture.supplyAsync(() -> {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < CALLS; i++) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(rpc)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":" + i
                    + ",\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":1}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(r.body());
            seen.add(answer.get("result").get("value").asLong());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        return seen;
      }, pool);

      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < CALLS; i++) {
        seen.add(client.call(INC, new Inc("a", 1)).value());
      }
      seen.addAll(overHttp.get(30, TimeUnit.SECONDS));

      assertThat(value.get()).isEqualTo(2L * CALLS);
      assertThat(seen).hasSize(2 * CALLS);
    } finally {
      pool.shutdownNow();
    }
  }
}

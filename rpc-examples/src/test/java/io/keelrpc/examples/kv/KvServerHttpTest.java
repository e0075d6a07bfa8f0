package io.keelrpc.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kv-server, as an operator sees it: the keel/1 port also answers HTTP, with its health, its
 * Prometheus metrics and JSON-RPC over {@code POST /rpc}, in a child JVM over loopback.
 */
class KvServerHttpTest {
  @TempDir
  Path dir;

  @Test
  void healthMetricsAndRpcOverHttpOnTheKeelPort() throws Exception {
    try (KvServerProcess server = KvServerProcess.start(dir, "http")) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + server.port();

      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"ready\":true");

      HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/rpc"))
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
              + "\"method\":\"kv.put\",\"params\":{\"key\":\"a\",\"value\":\"x\","
              + "\"expectedVersion\":0}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(200);
      assertThat(put.body()).contains("\"id\":1").contains("\"result\"");

      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
          URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
          t -> assertThat(t).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("keel_server_calls_seconds_count{code=\"OK\",method=\"kv.put\"")
          .contains("keel_server_connections_active");
    }
  }
}

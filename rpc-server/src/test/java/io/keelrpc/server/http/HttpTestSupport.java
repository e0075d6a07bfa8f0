package io.keelrpc.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** {@link ServerTestSupport} plus raw HTTP connections closed after each test and a JDK client. */
abstract class HttpTestSupport extends ServerTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  private final List<HttpWire> wires = new ArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A raw connection closed after the test. */
  HttpWire wire(KeelServer server) throws IOException {
    HttpWire w = HttpWire.connect(server.port());
    wires.add(w);
    return w;
  }

  @AfterEach
  void closeWires() throws IOException {
    for (HttpWire w : wires) {
      w.close();
    }
  }

  static URI uri(KeelServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** POSTs {@code body} to {@code /rpc} with the JDK client. */
  HttpResponse<String> postRpc(KeelServer server, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, "/rpc"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs {@code path} with the JDK client. */
  HttpResponse<String> get(KeelServer server, String path)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(10))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }
}

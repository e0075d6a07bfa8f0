package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the socket tests: starts servers with small thread counts, and after each test opens
 * every gate, closes every client and then every server (so no test waits out a grace period).
 */
public abstract class ServerTestSupport {
  private final List<Gate> gates = new ArrayList<>();
  private final List<FrameClient> clients = new ArrayList<>();
  private final List<KeelServer> servers = new ArrayList<>();

  /** A builder on an ephemeral loopback port with one I/O thread and two workers. */
  protected static KeelServer.Builder builder() {
    return KeelServer.builder()
        .port(0)
        .ioThreads(1)
        .workerThreads(2)
        .shutdownGracePeriod(Duration.ofSeconds(2));
  }

  /** Starts {@code b} and closes the server after the test. */
  protected KeelServer start(KeelServer.Builder b) {
    KeelServer s = b.start();
    servers.add(s);
    return s;
  }

  /** A gate opened after the test at the latest. */
  protected Gate gate() {
    Gate g = new Gate();
    gates.add(g);
    return g;
  }

  /** A connection closed after the test. */
  protected FrameClient connect(KeelServer server) throws IOException {
    FrameClient c = FrameClient.connect(server.port());
    clients.add(c);
    return c;
  }

  @AfterEach
  void closeEverything() throws IOException {
    gates.forEach(Gate::open);
    for (FrameClient c : clients) {
      c.close();
    }
    for (KeelServer s : servers) {
      s.close();
    }
  }

  /** A fresh string id. */
  protected static String newId() {
    return UUID.randomUUID().toString();
  }

  /** A JSON-RPC 2.0 request with a string id. */
  protected static String request(String id, String method, String paramsJson) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":"
        + paramsJson + "}";
  }

  /** A JSON-RPC 2.0 request with a string id and a {@code meta} member. */
  protected static String request(String id, String method, String paramsJson, String metaJson) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":"
        + paramsJson + ",\"meta\":" + metaJson + "}";
  }

  /** Asserts {@code answer} is an error with {@code code} and returns its error object. */
  protected static JsonNode assertError(JsonNode answer, int code) {
    assertThat(answer.has("result")).as("no result in %s", answer).isFalse();
    assertThat(answer.path("error").path("code").asInt()).as("error code in %s", answer)
        .isEqualTo(code);
    assertThat(answer.path("error").path("message").isTextual()).as("message in %s", answer)
        .isTrue();
    return answer.get("error");
  }

  /** Asserts {@code answer} is a result and returns it. */
  protected static JsonNode assertResult(JsonNode answer) {
    assertThat(answer.has("error")).as("no error in %s", answer).isFalse();
    assertThat(answer.has("result")).as("result in %s", answer).isTrue();
    return answer.get("result");
  }
}

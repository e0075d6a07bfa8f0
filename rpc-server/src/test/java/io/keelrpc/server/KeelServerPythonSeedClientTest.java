package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link KeelServer} spoken to exactly as the {@code RpcClient} of seed
 * {@code 000_a902bf2e86bf5c16.txt} does: one new TCP connection per attempt, a uuid4 string id
 * reused by every attempt, no {@code "jsonrpc"} member, params {@code {"key", "delta"}} serialised
 * by Python's {@code json.dumps} (with its {@code ", "} and {@code ": "} separators), one frame
 * sent, one frame read, connection closed.
 */
class KeelServerPythonSeedClientTest extends ServerTestSupport {
  private final CounterService counters = new CounterService();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(counters.registerOn(builder()));
  }

  @Test
  void seedDemoIncrementsThreeTimesAndReadsBack() throws IOException {
    for (int i = 1; i <= 3; i++) {
      JsonNode resp = call("inc", "{\"key\": \"counter\", \"delta\": 2}");

      assertThat(resp.has("jsonrpc")).isFalse();
      assertThat(resp.get("result").get("key").asText()).isEqualTo("counter");
      assertThat(resp.get("result").get("value").asLong()).isEqualTo(2L * i);
    }

    JsonNode got = call("get", "{\"key\": \"counter\"}");

    assertThat(got.get("result").get("value").asLong()).isEqualTo(6);
  }

  @Test
  void incWithoutDeltaAddsOne() throws IOException {
    JsonNode resp = call("inc", "{\"key\": \"solo\"}");

    assertThat(resp.get("result").get("value").asLong()).isEqualTo(1);
  }

  @Test
  void retryOfSameIdOnNewConnectionGetsCachedAnswerWithoutIncrementingAgain() throws IOException {
    String rid = UUID.randomUUID().toString();
    String payload = payload(rid, "inc", "{\"key\": \"counter\", \"delta\": 2}");

    JsonNode first = attempt(payload);
    JsonNode retry = attempt(payload);

    assertThat(first.get("id").asText()).isEqualTo(rid);
    assertThat(retry.get("id").asText()).isEqualTo(rid);
    assertThat(retry).isEqualTo(first);
    assertThat(retry.get("result").get("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(1);
    assertThat(call("get", "{\"key\": \"counter\"}").get("result").get("value").asLong())
        .isEqualTo(2);
  }

  /** One logical call as the seed client makes it (its first attempt succeeds here). */
  private JsonNode call(String method, String paramsJson) throws IOException {
    String rid = UUID.randomUUID().toString();
    JsonNode resp = attempt(payload(rid, method, paramsJson));
    // The seed client accepts an answer only if resp.get('id') == rid.
    assertThat(resp.get("id").isTextual()).isTrue();
    assertThat(resp.get("id").asText()).isEqualTo(rid);
    return resp;
  }

  /** What {@code json.dumps({"id": rid, "method": method, "params": params})} produces. */
  private static String payload(String rid, String method, String paramsJson) {
    return "{\"id\": \"" + rid + "\", \"method\": \"" + method + "\", \"params\": " + paramsJson
        + "}";
  }

  /** One attempt: a new connection, one frame out, one frame in, connection closed. */
  private JsonNode attempt(String payload) throws IOException {
    try (FrameClient s = FrameClient.connect(server.port())) {
      s.send(payload);
      return s.read();
    }
  }
}

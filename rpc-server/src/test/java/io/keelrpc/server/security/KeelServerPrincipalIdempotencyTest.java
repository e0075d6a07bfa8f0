package io.keelrpc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The principal scopes the idempotency cache: one caller never gets another's cached answer. */
class KeelServerPrincipalIdempotencyTest extends ServerTestSupport {
  private final CounterService counters = new CounterService();

  private static String inc(String token, String key) {
    return request(newId(), "inc", "{\"key\":\"a\"}",
        "{\"idempotencyKey\":\"" + key + "\",\"authorization\":\"Bearer " + token + "\"}");
  }

  private KeelServer server() {
    return start(counters.registerOn(builder()
        .authenticator(Authenticator.bearerTokens(Map.of("t-alice", "alice", "t-bob", "bob")))));
  }

  @Test
  void twoPrincipalsWithTheSameKeyEachGetTheirOwnResult() throws Exception {
    KeelServer server = server();
    FrameClient c = connect(server);

    JsonNode alice = assertResult(c.call(inc("t-alice", "k-1")));
    JsonNode bob = assertResult(c.call(inc("t-bob", "k-1")));

    assertThat(alice.path("value").asLong()).isEqualTo(1);
    assertThat(bob.path("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(2);
  }

  @Test
  void replayBySamePrincipalIsDeduplicated() throws Exception {
    KeelServer server = server();
    FrameClient c = connect(server);

    JsonNode first = assertResult(c.call(inc("t-alice", "k-2")));
    assertResult(c.call(inc("t-bob", "k-2")));
    JsonNode replay = assertResult(connect(server).call(inc("t-alice", "k-2")));

    assertThat(replay).isEqualTo(first);
    assertThat(counters.incRuns()).isEqualTo(2);
  }

  @Test
  void reusedKeyMessageNamesTheCallersKeyOnly() throws Exception {
    KeelServer server = server();
    FrameClient c = connect(server);
    assertResult(c.call(inc("t-alice", "k-3")));

    JsonNode error = assertError(c.call(request(newId(), "inc", "{\"key\":\"b\"}",
        "{\"idempotencyKey\":\"k-3\",\"authorization\":\"Bearer t-alice\"}")), -32004);

    assertThat(error.path("message").asText()).contains("\"k-3\"").doesNotContain("alice");
  }
}

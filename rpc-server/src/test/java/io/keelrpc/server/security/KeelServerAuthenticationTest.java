package io.keelrpc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The authenticator: who may call, what a rejection looks like, what the handler sees. */
class KeelServerAuthenticationTest extends ServerTestSupport {
  private static final Authenticator TOKENS =
      Authenticator.bearerTokens(Map.of("t-alice", "alice", "t-bob", "bob"));
  private final CounterService counters = new CounterService();

  private static String inc(String metaJson) {
    return request(newId(), "inc", "{\"key\":\"a\"}", metaJson);
  }

  @Test
  void requestWithoutCredentialsIsUnauthenticatedAndRunsNothing() throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator(TOKENS)));

    JsonNode answer = connect(server).call(request(newId(), "inc", "{\"key\":\"a\"}"));

    assertError(answer, -32006);
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void wrongTokenIsUnauthenticatedAndTheConnectionStaysUsable() throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator(TOKENS)));
    FrameClient c = connect(server);

    JsonNode refused = c.call(inc("{\"authorization\":\"Bearer t-mallory\"}"));
    JsonNode accepted = c.call(inc("{\"authorization\":\"Bearer t-alice\"}"));

    assertError(refused, -32006);
    assertThat(assertResult(accepted).path("value").asLong()).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void unknownMethodOfAnUnauthenticatedCallerIsUnauthenticatedNotMethodNotFound()
      throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator(TOKENS)));

    JsonNode answer = connect(server).call(request(newId(), "secret.admin", "{}"));

    assertError(answer, -32006);
  }

  @Test
  void handlerSeesThePrincipal() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    KeelServer server = start(builder().authenticator(TOKENS)
        .handle(CounterService.INC, (p, ctx) -> {
          seen.set(ctx.principal().map(java.security.Principal::getName).orElse("none"));
          return new CounterService.Counter(p.key(), 0);
        }));

    assertResult(connect(server).call(inc("{\"authorization\":\"bearer t-bob\"}")));

    assertThat(seen.get()).isEqualTo("bob");
  }

  @Test
  void withoutAnAuthenticatorCallsHaveNoPrincipal() throws Exception {
    AtomicReference<Boolean> present = new AtomicReference<>();
    KeelServer server = start(builder().handle(CounterService.INC, (p, ctx) -> {
      present.set(ctx.principal().isPresent());
      return new CounterService.Counter(p.key(), 0);
    }));

    assertResult(connect(server).call(inc("{\"authorization\":\"Bearer t-bob\"}")));

    assertThat(present.get()).isFalse();
  }

  @Test
  void authenticatorThatThrowsFailsClosed() throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator((auth, conn) -> {
      throw new IllegalStateException("token service down");
    })));

    JsonNode answer = connect(server).call(inc("{\"authorization\":\"Bearer t-alice\"}"));

    assertThat(assertError(answer, -32006).path("message").asText())
        .doesNotContain("token service down");
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void authenticatorReturningNullRejects() throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator((auth, conn) -> null)));

    assertError(connect(server).call(inc("{\"authorization\":\"x\"}")), -32006);
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void orFallsBackToTheSecondAuthenticator() throws Exception {
    KeelServer server = start(counters.registerOn(builder()
        .authenticator(Authenticator.clientCertificate().or(TOKENS))));

    JsonNode answer = connect(server).call(inc("{\"authorization\":\"Bearer t-alice\"}"));

    assertThat(assertResult(answer).path("value").asLong()).isEqualTo(1);
  }

  @Test
  void goJsonRpcConnectionWithoutCredentialsIsRefused() throws Exception {
    KeelServer server = start(counters.registerOn(builder().authenticator(TOKENS)));

    try (Socket s = new Socket()) {
      s.setSoTimeout(FrameClient.READ_TIMEOUT_MS);
      s.connect(new InetSocketAddress("127.0.0.1", server.port()));
      OutputStream out = s.getOutputStream();
      out.write("{\"method\":\"inc\",\"params\":[{\"key\":\"a\"}],\"id\":1}\n"
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
      JsonNode answer = new ObjectMapper().readTree(line);

      assertThat(answer.path("result").isNull()).isTrue();
      assertThat(answer.path("error").asText()).contains("authentication required");
    }
    assertThat(counters.incRuns()).isZero();
  }
}

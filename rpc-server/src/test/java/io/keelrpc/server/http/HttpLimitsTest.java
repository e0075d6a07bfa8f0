package io.keelrpc.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.KeelServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * HTTP connections under the server's limits: body size (413), bad requests (400), HTTP/1.0 and
 * {@code Connection: close}, and the connection timeouts every protocol has.
 */
class HttpLimitsTest extends HttpTestSupport {
  private static final int MAX_BODY = 1024;
  private final CounterService counters = new CounterService();

  private KeelServer.Builder quietBuilder() {
    return counters.registerOn(builder().maxFrameBytes(MAX_BODY)
        .idleTimeout(Duration.ZERO).firstFrameTimeout(Duration.ZERO)
        .frameReadTimeout(Duration.ZERO));
  }

  private static String bigInc(int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"inc\",\"params\":{\"key\":\""
        + "x".repeat(MAX_BODY) + "\"}}";
  }

  private static String inc(int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"inc\",\"params\":{\"key\":\"k\"}}";
  }

  @Test
  void bodyOverMaxFrameBytesIs413AndTheConnectionStaysUsable() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);

    HttpWire.Response big = w.exchange(HttpWire.post("/rpc", bigInc(1), ""));
    HttpWire.Response next = w.exchange(HttpWire.post("/rpc", inc(2), ""));

    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().get("message").asText()).isEqualTo("request body of "
        + bigInc(1).length() + " bytes is larger than the server's limit of 1024 bytes "
        + "(maxFrameBytes); nothing was dispatched");
    assertThat(next.status()).isEqualTo(200);
    assertThat(assertResult(next.json()).get("value").asLong()).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void chunkedBodyGrowingOverTheLimitIs413() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);
    String chunk = "x".repeat(700);

    w.send("POST /rpc HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
        + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
    HttpWire.Response big = w.read();

    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().get("message").asText()).startsWith("request body is larger");
    assertThat(w.exchange(HttpWire.post("/rpc", inc(2), "")).status()).isEqualTo(200);
  }

  @Test
  void expectContinueOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);

    w.send("POST /rpc HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
        + "Content-Length: 5000\r\n\r\n");
    HttpWire.Response refused = w.read();

    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.json().get("status").asInt()).isEqualTo(413);
    assertThat(w.exchange(HttpWire.post("/rpc", inc(1), "")).status()).isEqualTo(200);
  }

  @Test
  void malformedHttpIs400AndClosed() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);

    HttpWire.Response r = w.exchange("GET /health HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Length: banana\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(r.json().get("message").asText()).startsWith("malformed HTTP request: ");
    assertThat(w.closedByPeer()).isTrue();
  }

  @Test
  void http10RequestIsAnsweredThenTheConnectionCloses() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);
    String body = inc(1);

    HttpWire.Response r = w.exchange("POST /rpc HTTP/1.0\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body);

    assertThat(r.status()).isEqualTo(200);
    assertThat(assertResult(r.json()).get("value").asLong()).isEqualTo(1);
    assertThat(w.closedByPeer()).isTrue();
  }

  @Test
  void connectionCloseRequestIsTheLastOneServed() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);

    w.send(HttpWire.post("/rpc", inc(1), "Connection: close\r\n")
        + HttpWire.post("/rpc", inc(2), ""));
    HttpWire.Response r = w.read();

    assertThat(r.header("connection")).isEqualTo("close");
    assertThat(r.json().get("id").asInt()).isEqualTo(1);
    assertThat(w.closedByPeer()).isTrue();
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void idleHttpConnectionIsClosedByTheIdleTimeout() throws Exception {
    KeelServer server = start(quietBuilder().idleTimeout(Duration.ofMillis(300)));
    HttpWire w = wire(server);

    assertThat(w.exchange(HttpWire.get("/health")).status()).isEqualTo(200);

    assertThat(w.closedByPeer()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
  }

  @Test
  void requestThatNeverCompletesIsCutOffByTheFrameReadTimeout() throws Exception {
    KeelServer server = start(quietBuilder().frameReadTimeout(Duration.ofMillis(300)));
    HttpWire w = wire(server);
    assertThat(w.exchange(HttpWire.get("/health")).status()).isEqualTo(200);

    w.send("POST /rpc HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"");

    assertThat(w.closedByPeer()).isTrue();
  }

  @Test
  void completeRequestsKeepTheFirstFrameAndFrameTimersQuiet() throws Exception {
    KeelServer server = start(quietBuilder().firstFrameTimeout(Duration.ofMillis(300))
        .frameReadTimeout(Duration.ofMillis(300)));
    HttpWire w = wire(server);

    HttpWire.Response first = w.exchange(HttpWire.post("/rpc", inc(1), ""));
    // well past both timeouts, the connection still serves
    await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(3))
        .until(() -> server.openConnections() == 1);

    assertThat(first.status()).isEqualTo(200);
    assertThat(w.exchange(HttpWire.post("/rpc", inc(2), "")).status()).isEqualTo(200);
  }

  @Test
  void methodPrefixThatNeverCompletesIsCutOffByTheFirstFrameTimeout() throws Exception {
    KeelServer server = start(quietBuilder().firstFrameTimeout(Duration.ofMillis(300)));
    HttpWire w = wire(server);

    w.send("GE".getBytes(StandardCharsets.US_ASCII));

    assertThat(w.closedByPeer()).isTrue();
  }

  @Test
  void headerOverTheAuthorizationLimitIsRefusedAsInvalidRequest() throws Exception {
    KeelServer server = start(quietBuilder());
    HttpWire w = wire(server);

    HttpWire.Response r = w.exchange(HttpWire.post("/rpc", inc(1),
        "Authorization: Bearer " + "t".repeat(8200) + "\r\n"));

    assertError(r.json(), ErrorCode.INVALID_REQUEST.code());
    assertThat(w.exchange(HttpWire.get("/health")).status()).isEqualTo(200);
  }
}

package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input a Go client would never send: each gets a clear error string and the connection keeps
 * working, except a line too long to read, which gets one error and a close.
 */
class GoJsonRpcBadInputTest extends GoTestSupport {
  private static final int MAX_FRAME_BYTES = 256;

  private final CounterService counters = new CounterService();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(counters.registerOn(builder().maxFrameBytes(MAX_FRAME_BYTES)));
  }

  @Test
  void lineThatIsNotJsonGetsAParseErrorWithNullIdAndTheConnectionStays() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call("{\"method\": nope}");

    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(assertGoError(answer)).startsWith("not valid JSON");
    assertWorks(c);
  }

  @Test
  void jsonThatIsNotAnObjectGetsAnError() throws IOException {
    GoLineClient c = connectGo(server);
    c.send("{\"method\":\"inc\",\"params\":[{\"key\":\"k\"}],\"id\":1}");
    c.read();

    JsonNode answer = c.call("[1,2]");

    assertThat(assertGoError(answer)).contains("batch requests are not supported");
    assertWorks(c);
  }

  @Test
  void requestWithoutMethodGetsAnErrorWithItsOwnId() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call("{\"params\":[{}],\"id\":41}");

    assertThat(answer.get("id").asLong()).isEqualTo(41);
    assertThat(assertGoError(answer)).contains("\"method\" must be a non-empty string");
    assertWorks(c);
  }

  @Test
  void objectIdIsRefusedWithNullId() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call("{\"method\":\"inc\",\"params\":[{\"key\":\"k\"}],\"id\":{\"a\":1}}");

    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(assertGoError(answer)).contains("\"id\" must be a string, a number or null");
    assertWorks(c);
  }

  @Test
  void trailingContentOnALineIsAParseError() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call(GoLineClient.request(2, "inc", "{\"key\":\"k\"}") + " {}");

    assertThat(assertGoError(answer)).contains("trailing content");
    assertWorks(c);
  }

  @Test
  void blankLinesBetweenRequestsAreSkipped() throws IOException {
    GoLineClient c = connectGo(server);
    c.call(GoLineClient.request(3, "inc", "{\"key\":\"b\"}"));

    c.sendRaw(("\n \r\n\t\n" + GoLineClient.request(4, "inc", "{\"key\":\"b\"}") + "\n")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(c.read().get("id").asLong()).isEqualTo(4);
  }

  @Test
  void requestSplitIntoSingleBytesIsReassembled() throws IOException {
    GoLineClient c = connectGo(server);
    byte[] line = (GoLineClient.request(5, "inc", "{\"key\":\"split\",\"delta\":5}") + "\r\n")
        .getBytes(StandardCharsets.UTF_8);

    for (byte b : line) {
      c.sendRaw(new byte[] {b});
    }

    assertThat(assertGoResult(c.read()).get("value").asLong()).isEqualTo(5);
  }

  @Test
  void lineLongerThanMaxFrameBytesGetsOneErrorAndTheConnectionIsClosed() throws IOException {
    GoLineClient c = connectGo(server);
    String longKey = "k".repeat(MAX_FRAME_BYTES);

    c.send(GoLineClient.request(6, "inc", "{\"key\":\"" + longKey + "\"}"));
    JsonNode answer = c.read();

    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(assertGoError(answer)).contains("longer than " + MAX_FRAME_BYTES + " bytes");
    assertThat(c.closedByPeer()).isTrue();
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void lineOfExactlyMaxFrameBytesIsServed() throws IOException {
    GoLineClient c = connectGo(server);
    String prefix = "{\"method\":\"inc\",\"params\":[{\"key\":\"";
    String suffix = "\"}],\"id\":7}";
    String key = "k".repeat(MAX_FRAME_BYTES - prefix.length() - suffix.length());

    JsonNode answer = c.call(prefix + key + suffix);

    assertThat(assertGoResult(answer).get("key").asText()).isEqualTo(key);
  }

  private static void assertWorks(GoLineClient c) throws IOException {
    JsonNode answer = c.call(GoLineClient.request(99, "get", "{\"key\":\"k\"}"));
    assertThat(answer.get("id").asLong()).isEqualTo(99);
    assertGoResult(answer);
  }
}

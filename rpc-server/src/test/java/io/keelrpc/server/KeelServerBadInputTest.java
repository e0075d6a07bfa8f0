package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile or broken frames and messages: each is answered with a typed error, and the server keeps
 * serving, on a new connection and (unless the frame stream is lost) on the same one.
 */
class KeelServerBadInputTest extends ServerTestSupport {
  private static final int MAX_FRAME = 1024;

  private final CounterService counters = new CounterService();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(counters.registerOn(builder().maxFrameBytes(MAX_FRAME)));
  }

  // ------------------------------------------------------------------ frame level

  @Test
  void zeroLengthFrameIsAnsweredInvalidRequestWithNullIdThenClosed() throws IOException {
    FrameClient c = connect(server);
    c.sendLengthPrefix(0);

    JsonNode answer = c.read();

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(c.closedByPeer()).isTrue();
    assertServesOnNewConnection();
  }

  @Test
  void lengthAboveMaxFrameBytesIsAnsweredInvalidRequestWithNullIdThenClosed() throws IOException {
    FrameClient c = connect(server);
    c.sendLengthPrefix(MAX_FRAME + 1);

    JsonNode answer = c.read();

    JsonNode error = assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(error.get("message").asText()).contains(String.valueOf(MAX_FRAME + 1))
        .contains(String.valueOf(MAX_FRAME));
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(c.closedByPeer()).isTrue();
    assertServesOnNewConnection();
  }

  @Test
  void frameOfExactlyMaxFrameBytesIsServed() throws IOException {
    String id = newId();
    String body = request(id, "get", "{\"key\":\"k\"}");
    String padded = body + " ".repeat(MAX_FRAME - body.getBytes(StandardCharsets.UTF_8).length);
    FrameClient c = connect(server);

    JsonNode answer = c.call(padded);

    assertThat(answer.get("id").asText()).isEqualTo(id);
    assertThat(assertResult(answer).get("key").asText()).isEqualTo("k");
  }

  @Test
  void hugeClaimedLengthIsAnsweredAtOnceWithoutAllocatingIt() throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
      c.sendLengthPrefix(0xFFFFFFFFL);
      return c.read();
    });

    JsonNode error = assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(error.get("message").asText()).contains("4294967295");
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(c.closedByPeer()).isTrue();
    assertServesOnNewConnection();
  }

  @Test
  void truncatedFrameThenCloseLeavesServerServing() throws IOException {
    byte[] whole = FrameClient.frame(
        request(newId(), "inc", "{\"key\":\"t\"}").getBytes(StandardCharsets.UTF_8));
    try (FrameClient c = FrameClient.connect(server.port())) {
      c.sendRaw(java.util.Arrays.copyOf(whole, whole.length / 2));
    }

    assertServesOnNewConnection();
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void frameSplitIntoSingleBytesIsReassembled() throws IOException {
    String id = newId();
    byte[] whole = FrameClient.frame(
        request(id, "inc", "{\"key\":\"split\"}").getBytes(StandardCharsets.UTF_8));
    FrameClient c = connect(server);
    for (byte b : whole) {
      c.sendRaw(new byte[] {b});
    }

    JsonNode answer = c.read();

    assertThat(answer.get("id").asText()).isEqualTo(id);
    assertThat(assertResult(answer).get("value").asLong()).isEqualTo(1);
  }

  @Test
  void severalFramesInOneWriteAreAllAnswered() throws IOException {
    FrameClient c = connect(server);
    c.sendPipelined(request("a", "inc", "{\"key\":\"m\"}"), request("b", "inc", "{\"key\":\"m\"}"),
        request("c", "inc", "{\"key\":\"m\"}"));

    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      JsonNode answer = c.read();
      assertResult(answer);
      ids.add(answer.get("id").asText());
    }

    assertThat(ids).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(counters.value("m")).isEqualTo(3);
  }

  // ------------------------------------------------------------------ message level

  @Test
  void nonJsonIsParseErrorAndConnectionStaysOpen() throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call("this is not json {");

    assertError(answer, ErrorCode.PARSE_ERROR.code());
    assertThat(answer.get("id").isNull()).isTrue();
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @Test
  void invalidUtf8IsParseError() throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes("{\"jsonrpc\":\"2.0\",\"id\":\"".getBytes(StandardCharsets.US_ASCII));
    payload.write(0xC3); // a two-byte sequence start ...
    payload.write(0x28); // ... followed by a byte that is not a continuation byte
    payload.write(0xFF); // never valid in UTF-8
    payload.writeBytes("\",\"method\":\"get\",\"params\":{\"key\":\"k\"}}"
        .getBytes(StandardCharsets.US_ASCII));
    FrameClient c = connect(server);
    c.sendPayload(payload.toByteArray());

    JsonNode answer = c.read();

    assertError(answer, ErrorCode.PARSE_ERROR.code());
    assertThat(answer.get("id").isNull()).isTrue();
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "\"inc\"", "true", "null"})
  void jsonValueThatIsNotAnObjectIsInvalidRequest(String json) throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call(json);

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").isNull()).isTrue();
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @Test
  void batchArrayIsInvalidRequestAndNothingRuns() throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call("[" + request("b1", "inc", "{\"key\":\"batch\"}") + ","
        + request("b2", "inc", "{\"key\":\"batch\"}") + "]");

    JsonNode error = assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(error.get("message").asText()).contains("batch");
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(counters.incRuns()).isZero();
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @Test
  void nestingOneHundredThousandDeepIsInvalidRequest() throws IOException {
    int depth = 100_000;
    String json = "{\"jsonrpc\":\"2.0\",\"id\":\"deep\",\"method\":\"get\",\"params\":"
        + "[".repeat(depth) + "]".repeat(depth) + "}";
    KeelServer big = start(counters.registerOn(builder()));
    FrameClient c = FrameClient.connect(big.port());
    try (c) {
      JsonNode answer = c.call(json);

      assertError(answer, ErrorCode.INVALID_REQUEST.code());
      assertThat(answer.get("id").isNull()).isTrue();
      assertServesOn(c);
    }
    try (FrameClient fresh = FrameClient.connect(big.port())) {
      assertServesOn(fresh);
    }
  }

  @Test
  void missingMethodIsInvalidRequestEchoingId() throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call("{\"jsonrpc\":\"2.0\",\"id\":\"no-method\",\"params\":{}}");

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").asText()).isEqualTo("no-method");
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "{\"name\":\"inc\"}", "[\"inc\"]", "null", "\"\""})
  void methodThatIsNotANonEmptyStringIsInvalidRequestEchoingId(String method) throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":" + method + "}");

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").isIntegralNumber()).isTrue();
    assertThat(answer.get("id").asInt()).isEqualTo(7);
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1}", "[1]", "true"})
  void idOfWrongTypeIsInvalidRequestWithNullId(String id) throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call(
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"inc\",\"params\":{\"key\":\"x\"}}");

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").isNull()).isTrue();
    assertThat(counters.incRuns()).isZero();
    assertServesOn(c);
    assertServesOnNewConnection();
  }

  @Test
  void wrongJsonrpcVersionIsInvalidRequest() throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call(
        "{\"jsonrpc\":\"1.0\",\"id\":\"v\",\"method\":\"get\",\"params\":{\"key\":\"k\"}}");

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertServesOn(c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"timeoutMs\":-1}", "{\"timeoutMs\":\"100\"}", "{\"attempt\":0}",
      "{\"idempotencyKey\":\"\"}", "{\"idempotencyKey\":5}", "[]"})
  void malformedMetaIsInvalidRequestEchoingId(String meta) throws IOException {
    FrameClient c = connect(server);

    JsonNode answer = c.call(request("meta-id", "inc", "{\"key\":\"meta\"}", meta));

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").asText()).isEqualTo("meta-id");
    assertThat(counters.incRuns()).isZero();
    assertServesOn(c);
  }

  // ------------------------------------------------------------------ helpers

  private void assertServesOnNewConnection() throws IOException {
    try (FrameClient fresh = FrameClient.connect(server.port())) {
      assertServesOn(fresh);
    }
  }

  private static void assertServesOn(FrameClient c) throws IOException {
    String id = newId();
    JsonNode answer = c.call(request(id, "get", "{\"key\":\"k\"}"));
    assertThat(answer.get("id").asText()).isEqualTo(id);
    assertThat(assertResult(answer).get("key").asText()).isEqualTo("k");
  }
}

package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.json;
import static io.keelrpc.core.wire.Frames.tree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.ParseErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames {@link MessageCodec#readRequest} refuses: PARSE_ERROR for what is not JSON,
 * INVALID_REQUEST for JSON that is not a request, each with the id and style to answer with.
 */
class MessageCodecMalformedRequestTest {
  private final MessageCodec codec = new MessageCodec();

  private MalformedMessageException reject(String text) {
    return reject(text.getBytes(UTF_8));
  }

  /**
   * Reads {@code bytes} from a heap buffer (the array path) and from a direct buffer (the stream
   * path), expects both to be refused alike, and returns the heap buffer's refusal.
   */
  private MalformedMessageException reject(byte[] bytes) {
    MalformedMessageException heap = rejectFrom(Unpooled.wrappedBuffer(bytes), bytes);
    MalformedMessageException direct = rejectFrom(Unpooled.directBuffer().writeBytes(bytes), bytes);
    assertThat(direct.error().code()).as("direct buffer").isEqualTo(heap.error().code());
    assertThat(direct.error().getMessage()).as("direct buffer").isEqualTo(heap.error().getMessage());
    assertThat(direct.id()).as("direct buffer").isEqualTo(heap.id());
    return heap;
  }

  private MalformedMessageException rejectFrom(ByteBuf frame, byte[] bytes) {
    try {
      MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
          () -> codec.readRequest(frame));
      assertThat(e).as("readRequest should refuse %s", new String(bytes, UTF_8)).isNotNull();
      assertThat(frame.refCnt()).as("readRequest does not release the frame").isEqualTo(1);
      return e;
    } finally {
      frame.release();
    }
  }

  private static void assertParseError(MalformedMessageException e) {
    assertThat(e.error()).isInstanceOf(ParseErrorException.class);
    assertThat(e.error().errorCode()).isEqualTo(ErrorCode.PARSE_ERROR);
    assertThat(e.id().isNull()).isTrue();
    assertThat(e.getMessage()).isEqualTo(e.error().getMessage());
  }

  private static void assertInvalidRequest(MalformedMessageException e) {
    assertThat(e.error()).isInstanceOf(InvalidRequestException.class);
    assertThat(e.error().code()).isEqualTo(-32600);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", "{\"id\":1,", "{'id':1}", "{\"id\":1 \"method\":\"m\"}", "", "  \n"})
  void textThatIsNotJsonIsAParseError(String text) {
    MalformedMessageException e = reject(text);

    assertParseError(e);
    assertThat(e.jsonrpc2()).isTrue();
  }

  @Test
  void invalidUtf8InsideAStringIsAParseError() {
    byte[] head = "{\"id\":\"a\",\"method\":\"m\",\"params\":[\"".getBytes(UTF_8);
    byte[] tail = "\"]}".getBytes(UTF_8);

    assertParseError(reject(Frames.concat(head, new byte[] {(byte) 0xC3, 0x28}, tail)));
    assertParseError(reject(Frames.concat(head, new byte[] {(byte) 0xFF}, tail)));
    assertParseError(reject(Frames.concat(head, new byte[] {(byte) 0xE2, (byte) 0x82}, tail)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"inc\"", "42", "true", "null"})
  void jsonThatIsNotAnObjectIsAnInvalidRequest(String text) {
    MalformedMessageException e = reject(text);

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).startsWith("a request must be a JSON object");
    assertThat(e.id().isNull()).isTrue();
  }

  @Test
  void batchArrayIsAnInvalidRequestNamingBatches() {
    MalformedMessageException e = reject(
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"b\"}]");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("batch");
    assertThat(e.id().isNull()).isTrue();
  }

  @Test
  void deeplyNestedArraysHitTheReadLimitQuicklyWithoutStackOverflow() {
    String deep = "[".repeat(100_000);

    MalformedMessageException e = assertTimeout(Duration.ofSeconds(2), () -> reject(deep));

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("read limit");
    assertThat(e.id().isNull()).isTrue();
  }

  @Test
  void deeplyNestedObjectsInsideParamsHitTheReadLimit() {
    String deep = "{\"id\":1,\"method\":\"m\",\"params\":" + "{\"a\":".repeat(100_000);

    MalformedMessageException e = assertTimeout(Duration.ofSeconds(2), () -> reject(deep));

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("read limit");
  }

  @Test
  void nestingAtTheDepthLimitIsAccepted() throws Exception {
    // The request object itself is one level, so params may nest MAX_NESTING_DEPTH - 1 deep.
    int depth = KeelJson.MAX_NESTING_DEPTH - 1;
    String params = "[".repeat(depth) + "]".repeat(depth);
    ByteBuf frame = Unpooled.copiedBuffer("{\"id\":1,\"method\":\"m\",\"params\":" + params + "}", UTF_8);
    try {
      assertThat(tree(codec.readRequest(frame).params()).isArray()).isTrue();
    } finally {
      frame.release();
    }
    assertInvalidRequest(reject("{\"id\":1,\"method\":\"m\",\"params\":" + "[" + params + "]}"));
  }

  @Test
  void overlongNumberHitsTheReadLimit() {
    MalformedMessageException e = reject("{\"id\":" + "9".repeat(KeelJson.MAX_NUMBER_LENGTH + 1)
        + ",\"method\":\"m\"}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("read limit");
  }

  @Test
  void missingMethodIsAnInvalidRequestCarryingTheId() {
    MalformedMessageException e = reject("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"params\":{}}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("\"method\"");
    assertThat(e.id()).isEqualTo(json("\"abc\""));
    assertThat(e.jsonrpc2()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "null", "[\"m\"]", "{\"name\":\"m\"}", "\"\""})
  void methodThatIsNotANonEmptyStringIsAnInvalidRequestCarryingTheId(String method) {
    MalformedMessageException e = reject("{\"id\":5,\"method\":" + method + "}");

    assertInvalidRequest(e);
    assertThat(e.id()).isEqualTo(json("5"));
    assertThat(e.jsonrpc2()).as("no \"jsonrpc\": the answer mirrors that").isFalse();
  }

  @Test
  void methodLongerThanTheLimitIsAnInvalidRequest() {
    MalformedMessageException e = reject("{\"id\":5,\"method\":\"" + "m".repeat(257) + "\"}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("256");
    assertThat(e.id()).isEqualTo(json("5"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"n\":1}", "true", "false", "[1]"})
  void idOfTheWrongTypeIsAnInvalidRequestAnsweredWithNullId(String id) {
    MalformedMessageException e = reject("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"m\"}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("\"id\"");
    assertThat(e.id().isNull()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"a\"", "3", "true"})
  void paramsThatAreNotAnObjectOrArrayAreAnInvalidRequest(String params) {
    MalformedMessageException e = reject("{\"id\":\"r1\",\"method\":\"m\",\"params\":" + params + "}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("\"params\"");
    assertThat(e.id()).isEqualTo(json("\"r1\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "\"250\"", "1.5", "99999999999999999999", "{}"})
  void timeoutThatIsNotANonNegativeIntegerIsAnInvalidRequest(String timeoutMs) {
    MalformedMessageException e = reject(
        "{\"id\":\"r1\",\"method\":\"m\",\"meta\":{\"timeoutMs\":" + timeoutMs + "}}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("meta.timeoutMs");
    assertThat(e.id()).isEqualTo(json("\"r1\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-2", "\"2\"", "2.5", "3000000000"})
  void attemptThatIsNotAPositiveIntegerIsAnInvalidRequest(String attempt) {
    MalformedMessageException e = reject(
        "{\"id\":\"r1\",\"method\":\"m\",\"meta\":{\"attempt\":" + attempt + "}}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("meta.attempt");
  }

  @Test
  void idempotencyKeyThatIsNotAShortNonEmptyStringIsAnInvalidRequest() {
    for (String key : new String[] {"\"\"", "42", "\"" + "k".repeat(257) + "\""}) {
      MalformedMessageException e = reject(
          "{\"id\":\"r1\",\"method\":\"m\",\"meta\":{\"idempotencyKey\":" + key + "}}");

      assertInvalidRequest(e);
      assertThat(e.error().getMessage()).contains("meta.idempotencyKey");
    }
  }

  @Test
  void metaThatIsNotAnObjectIsAnInvalidRequest() {
    MalformedMessageException e = reject("{\"id\":\"r1\",\"method\":\"m\",\"meta\":[250]}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("\"meta\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {" x", "{}", " {\"id\":2,\"method\":\"m\"}", "]", "\"tail\""})
  void trailingContentAfterTheObjectIsAParseError(String trailing) {
    assertParseError(reject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}" + trailing));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1.0\"", "2.0", "null", "\"2\""})
  void jsonrpcOtherThan20IsAnInvalidRequest(String version) {
    MalformedMessageException e = reject(
        "{\"jsonrpc\":" + version + ",\"id\":1,\"method\":\"m\"}");

    assertInvalidRequest(e);
    assertThat(e.error().getMessage()).contains("\"jsonrpc\"");
    assertThat(e.id().isNumber()).as("the readable id is echoed").isTrue();
    assertThat(e.id().asInt()).isEqualTo(1);
  }
}

package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.bodyOf;
import static io.keelrpc.core.wire.Frames.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The frames {@link MessageCodec} writes: a big-endian length prefix, then exactly the JSON. */
class MessageCodecWriteTest {
  private final MessageCodec codec = new MessageCodec();
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  record Counter(String key, long value) {}

  /** Writes a frame, checks its prefix, and returns its body as a tree; releases the frame. */
  private static JsonNode written(Supplier<ByteBuf> write) {
    ByteBuf frame = write.get();
    try {
      int bodyLength = frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES;
      byte[] prefix = new byte[KeelFrameDecoder.LENGTH_BYTES];
      frame.getBytes(frame.readerIndex(), prefix);
      assertThat(prefix).as("big-endian length of the body").containsExactly(
          (byte) (bodyLength >>> 24), (byte) (bodyLength >>> 16), (byte) (bodyLength >>> 8),
          (byte) bodyLength);
      return bodyOf(frame);
    } finally {
      frame.release();
      assertThat(frame.refCnt()).isZero();
    }
  }

  @Test
  void requestFrameHoldsEveryMemberAndMeta() {
    byte[] params = codec.writeValueAsBytes(Map.of("key", "a", "delta", 2));

    JsonNode body = written(() -> codec.writeRequest(alloc, "7f3c", "inc", params, 250, 2, "k-1"));

    assertThat(body).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"7f3c\",\"method\":\"inc\","
        + "\"params\":{\"key\":\"a\",\"delta\":2},"
        + "\"meta\":{\"timeoutMs\":250,\"attempt\":2,\"idempotencyKey\":\"k-1\"}}"));
  }

  @Test
  void requestFrameOmitsAbsentParamsAndMeta() {
    JsonNode body = written(() -> codec.writeRequest(
        alloc, "r1", "ping", null, Meta.NO_TIMEOUT, Meta.NO_ATTEMPT, null));

    assertThat(body).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"ping\"}"));
  }

  @Test
  void requestFrameWritesOnlyTheMetaMembersThatAreSet() {
    assertThat(written(() -> codec.writeRequest(alloc, "r1", "m", null, 0, Meta.NO_ATTEMPT, null)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"m\",\"meta\":{\"timeoutMs\":0}}"));
    assertThat(written(() -> codec.writeRequest(alloc, "r1", "m", null, Meta.NO_TIMEOUT, 3, null)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"m\",\"meta\":{\"attempt\":3}}"));
  }

  @Test
  void resultFrameMirrorsJsonrpc2Style() {
    Counter result = new Counter("a", 6);

    assertThat(written(() -> codec.writeResult(alloc, TextNode.valueOf("7f3c"), true, result)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"7f3c\",\"result\":{\"key\":\"a\",\"value\":6}}"));
  }

  @Test
  void replyOmitsJsonrpcWhenTheRequestHadNone() {
    JsonNode result = written(() -> codec.writeResult(alloc, IntNode.valueOf(3), false, List.of(1, 2)));
    JsonNode error = written(() -> codec.writeError(alloc, IntNode.valueOf(3), false,
        new ErrorObject(-32601, "method not found", null)));

    assertThat(result).isEqualTo(json("{\"id\":3,\"result\":[1,2]}"));
    assertThat(error).isEqualTo(
        json("{\"id\":3,\"error\":{\"code\":-32601,\"message\":\"method not found\"}}"));
  }

  @Test
  void nullIdAndNullResultAreWrittenAsJsonNull() {
    assertThat(written(() -> codec.writeResult(alloc, NullNode.getInstance(), true, null)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":null}"));
    assertThat(written(() -> codec.writeResult(alloc, null, true, "x")))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":\"x\"}"));
  }

  @Test
  void errorFrameCarriesCodeMessageAndData() {
    ErrorObject error = new ErrorObject(-32001, "server overloaded", json("{\"retryAfterMs\":40}"));

    assertThat(written(() -> codec.writeError(alloc, TextNode.valueOf("a"), true, error)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32001,"
            + "\"message\":\"server overloaded\",\"data\":{\"retryAfterMs\":40}}}"));
  }

  @Test
  void errorFrameWithoutDataHasNoDataMember() {
    JsonNode body = written(() -> codec.writeError(alloc, TextNode.valueOf("a"), true,
        new ErrorObject(1001, "version mismatch", null)));

    assertThat(body.get("error")).isEqualTo(json("{\"code\":1001,\"message\":\"version mismatch\"}"));
  }

  @Test
  void rawFrameEmbedsPreSerialisedResultOrError() {
    byte[] rawResult = "{\"key\":\"a\",\"value\":6}".getBytes(UTF_8);
    byte[] rawError = codec.errorBytes(new ErrorObject(1001, "version mismatch",
        json("{\"actualVersion\":7}")));

    assertThat(written(() -> codec.writeRaw(alloc, TextNode.valueOf("a"), true, false, rawResult)))
        .isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{\"key\":\"a\",\"value\":6}}"));
    assertThat(written(() -> codec.writeRaw(alloc, IntNode.valueOf(9), false, true, rawError)))
        .isEqualTo(json("{\"id\":9,\"error\":{\"code\":1001,\"message\":\"version mismatch\","
            + "\"data\":{\"actualVersion\":7}}}"));
  }

  @Test
  void nonAsciiTextIsWrittenAsUtf8AndCountedInBytes() {
    JsonNode body = written(() -> codec.writeResult(alloc, TextNode.valueOf("\u00e9"), true,
        "\u2603\ud83d\ude00"));

    assertThat(body.get("id").textValue()).isEqualTo("\u00e9");
    assertThat(body.get("result").textValue()).isEqualTo("\u2603\ud83d\ude00");
  }

  @Test
  void largeBodyGrowsTheFrameBeyondItsInitialCapacity() {
    String big = "x".repeat(100_000);

    assertThat(written(() -> codec.writeResult(alloc, IntNode.valueOf(1), true, big))
        .get("result").textValue()).isEqualTo(big);
  }
}

package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.json;
import static io.keelrpc.core.wire.Frames.tree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Requests that {@link MessageCodec#readRequest} accepts, and what it reads from them. */
class MessageCodecReadRequestTest {
  private final MessageCodec codec = new MessageCodec();

  private Request read(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readRequest(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void fullJsonRpc2RequestWithMetaIsReadCompletely() throws Exception {
    Request r = read("{\"jsonrpc\":\"2.0\",\"id\":\"7f3c\",\"method\":\"inc\","
        + "\"params\":{\"key\":\"a\",\"delta\":2},"
        + "\"meta\":{\"timeoutMs\":250,\"attempt\":2,\"idempotencyKey\":\"k-1\"}}");

    assertThat(r.jsonrpc2()).isTrue();
    assertThat(r.id()).isEqualTo(json("\"7f3c\""));
    assertThat(r.isNotification()).isFalse();
    assertThat(r.method()).isEqualTo("inc");
    assertThat(tree(r.params())).isEqualTo(json("{\"key\":\"a\",\"delta\":2}"));
    assertThat(r.meta()).isEqualTo(new Meta(250, 2, "k-1"));
    assertThat(r.meta().hasTimeout()).isTrue();
  }

  @Test
  void requestWithoutJsonrpcMemberIsAcceptedAndRemembered() throws Exception {
    Request r = read("{\"id\":1,\"method\":\"get\",\"params\":{\"key\":\"a\"}}");

    assertThat(r.jsonrpc2()).isFalse();
    assertThat(r.method()).isEqualTo("get");
  }

  @Test
  void requestWithoutIdIsANotification() throws Exception {
    Request r = read("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":[\"hi\"]}");

    assertThat(r.isNotification()).isTrue();
    assertThat(r.id()).isNull();
    assertThat(tree(r.params())).isEqualTo(json("[\"hi\"]"));
  }

  @Test
  void numericIdIsKeptAsANumber() throws Exception {
    assertThat(read("{\"id\":42,\"method\":\"m\"}").id().isNumber()).isTrue();
    assertThat(read("{\"id\":42,\"method\":\"m\"}").id().longValue()).isEqualTo(42);
    assertThat(read("{\"id\":123456789012345678901234567890,\"method\":\"m\"}").id().bigIntegerValue())
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void nullIdIsARequestAnsweredWithNullId() throws Exception {
    Request r = read("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}");

    assertThat(r.isNotification()).isFalse();
    assertThat(r.id().isNull()).isTrue();

    ByteBuf reply = codec.writeResult(ByteBufAllocator.DEFAULT, r.id(), r.jsonrpc2(), 1);
    try {
      assertThat(Frames.bodyOf(reply)).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":1}"));
    } finally {
      reply.release();
    }
  }

  @Test
  void absentOrNullParamsAndMetaReadAsNoneAndNull() throws Exception {
    Request absent = read("{\"id\":\"a\",\"method\":\"m\"}");
    Request nulls = read("{\"id\":\"a\",\"method\":\"m\",\"params\":null,\"meta\":null}");

    assertThat(absent.params()).isNull();
    assertThat(absent.meta()).isEqualTo(Meta.NONE);
    assertThat(absent.meta().hasTimeout()).isFalse();
    assertThat(nulls.params()).isNull();
    assertThat(nulls.meta()).isEqualTo(Meta.NONE);
  }

  @Test
  void zeroTimeoutIsKeptAsAnExhaustedBudget() throws Exception {
    Meta meta = read("{\"id\":\"a\",\"method\":\"m\",\"meta\":{\"timeoutMs\":0}}").meta();

    assertThat(meta).isEqualTo(new Meta(0, Meta.NO_ATTEMPT, null));
    assertThat(meta.hasTimeout()).isTrue();
  }

  @Test
  void unknownMembersAndTrailingWhitespaceAreIgnored() throws Exception {
    Request r = read("{\"id\":\"a\",\"method\":\"m\",\"extra\":{\"x\":[1]},"
        + "\"meta\":{\"traceId\":\"t\"}}\r\n ");

    assertThat(r.method()).isEqualTo("m");
    assertThat(r.meta()).isEqualTo(Meta.NONE);
  }

  @Test
  void methodOfMaximumLengthIsAccepted() throws Exception {
    String name = "m".repeat(256);

    assertThat(read("{\"id\":1,\"method\":\"" + name + "\"}").method()).isEqualTo(name);
  }

  @Test
  void multiByteUtf8IsDecoded() throws Exception {
    Request r = read("{\"id\":\"\u00e9\u2603\",\"method\":\"m\",\"params\":{\"k\":\"\ud83d\ude00\"}}");

    assertThat(r.id().textValue()).isEqualTo("\u00e9\u2603");
    assertThat(tree(r.params()).get("k").textValue()).isEqualTo("\ud83d\ude00");
  }

  @Test
  void requestIsReadFromHeapSlicesDirectAndCompositeBuffersAlike() throws Exception {
    byte[] body = "{\"id\":\"x\",\"method\":\"m\",\"params\":[1]}".getBytes(UTF_8);
    byte[] padded = Frames.concat("garbage".getBytes(UTF_8), body, "more".getBytes(UTF_8));
    ByteBuf heapSlice = Unpooled.wrappedBuffer(padded).slice(7, body.length);
    ByteBuf heapMovedReader = Unpooled.wrappedBuffer(padded, 0, 7 + body.length).skipBytes(7);
    ByteBuf direct = Unpooled.directBuffer().writeBytes(body);
    ByteBuf composite = Unpooled.wrappedBuffer(
        Unpooled.copiedBuffer(body, 0, 5), Unpooled.copiedBuffer(body, 5, body.length - 5));
    try {
      for (ByteBuf frame : new ByteBuf[] {heapSlice, heapMovedReader, direct, composite}) {
        int readerIndex = frame.readerIndex();
        Request r = codec.readRequest(frame);
        assertThat(r.id()).isEqualTo(json("\"x\""));
        assertThat(tree(r.params())).isEqualTo(json("[1]"));
        assertThat(frame.readerIndex()).as("frame left unread").isEqualTo(readerIndex);
        assertThat(frame.refCnt()).as("frame not released").isEqualTo(1);
      }
    } finally {
      heapSlice.release();
      heapMovedReader.release();
      direct.release();
      composite.release();
    }
  }

  @Test
  void idInTheRequestIsUsableAsTheReplyId() throws Exception {
    JsonNode id = read("{\"id\":7,\"method\":\"m\"}").id();

    ByteBuf reply = codec.writeResult(ByteBufAllocator.DEFAULT, id, false, "ok");
    try {
      assertThat(Frames.bodyOf(reply)).isEqualTo(json("{\"id\":7,\"result\":\"ok\"}"));
    } finally {
      reply.release();
    }
  }
}

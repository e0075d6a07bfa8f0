package io.keelrpc.core.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.RawResponse;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream notifications as written by either side, byte for byte, and read back by a server
 * ({@code readRequest}) and by a client ({@code readServerMessage}).
 */
class StreamMessageRoundTripTest {
  private final MessageCodec codec = new MessageCodec();
  private static final JsonNode ID = TextNode.valueOf("s-1");

  /** The payload of a written frame (checking its length prefix), released. */
  private static String payload(ByteBuf frame) {
    try {
      assertThat(frame.getInt(0)).isEqualTo(frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES);
      return frame.toString(KeelFrameDecoder.LENGTH_BYTES,
          frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES, UTF_8);
    } finally {
      frame.release();
    }
  }

  private Request readRequest(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readRequest(frame);
    } finally {
      frame.release();
    }
  }

  private Object readOnClient(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readServerMessage(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void itemFrameIsTheDocumentedNotification() {
    String text = payload(StreamMessage.writeItem(codec, ByteBufAllocator.DEFAULT, ID, true, 0,
        "{\"n\":1}".getBytes(UTF_8)));

    assertThat(text).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"s-1\",\"seq\":0,"
            + "\"item\":{\"n\":1}}}");
  }

  @Test
  void creditAndEndFramesAreTheDocumentedNotifications() {
    assertThat(payload(StreamMessage.writeCredit(codec, ByteBufAllocator.DEFAULT, ID, true, 32)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/credit\",\"params\":{\"id\":\"s-1\","
            + "\"n\":32}}");
    assertThat(payload(StreamMessage.writeEnd(codec, ByteBufAllocator.DEFAULT, ID, true, 3)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/end\",\"params\":{\"id\":\"s-1\","
            + "\"count\":3}}");
  }

  @Test
  void framesMirrorAPeerThatSendsNoJsonrpcMemberAndKeepNumericIds() {
    String text = payload(StreamMessage.writeItem(codec, ByteBufAllocator.DEFAULT,
        IntNode.valueOf(7), false, 4, "\"x\"".getBytes(UTF_8)));

    assertThat(text).isEqualTo(
        "{\"method\":\"$/stream/item\",\"params\":{\"id\":7,\"seq\":4,\"item\":\"x\"}}");
  }

  @Test
  void itemWrittenByAClientReadsBackOnTheServerWithItsBytes() throws Exception {
    String text = payload(StreamMessage.writeItem(codec, ByteBufAllocator.DEFAULT, ID, true, 12,
        "[1,{\"a\":\"b\"}]".getBytes(UTF_8)));

    Request r = readRequest(text);
    StreamMessage m = StreamMessage.read(r, codec);

    assertThat(StreamMessage.is(r)).isTrue();
    assertThat(m).isEqualTo(new StreamMessage(StreamMessage.Type.ITEM, ID, 12,
        StreamMessage.ABSENT, StreamMessage.ABSENT,
        new byte[][] {"[1,{\"a\":\"b\"}]".getBytes(UTF_8)}));
  }

  @Test
  void severalItemsShareOneFrameNumberedFromItsSeq() throws Exception {
    String text = payload(StreamMessage.writeItems(codec, ByteBufAllocator.DEFAULT, ID, true, 5,
        List.of("1".getBytes(UTF_8), "{\"a\":[2]}".getBytes(UTF_8), "\"3\"".getBytes(UTF_8))));

    assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":"
        + "{\"id\":\"s-1\",\"seq\":5,\"items\":[1,{\"a\":[2]},\"3\"]}}");
    StreamMessage m = StreamMessage.read(readRequest(text), codec);
    assertThat(m.seq()).isEqualTo(5);
    assertThat(m.itemCount()).isEqualTo(3);
    assertThat(new String(m.items()[1], UTF_8)).isEqualTo("{\"a\":[2]}");
  }

  @Test
  void theItemsOfTheProtocolPagesHexExampleAreWhatTheCodecWrites() {
    ByteBuf frame = StreamMessage.writeItems(codec, ByteBufAllocator.DEFAULT, ID, true, 0,
        List.of("0".getBytes(UTF_8), "1".getBytes(UTF_8)));
    try {
      assertThat(frame.getInt(0)).isEqualTo(0x56); // 86-byte body, as in docs/protocol.md
    } finally {
      frame.release();
    }
  }

  @Test
  void aBatchOfOneIsWrittenAsASingleItem() {
    String text = payload(StreamMessage.writeItems(codec, ByteBufAllocator.DEFAULT, ID, true, 0,
        List.of("7".getBytes(UTF_8))));

    assertThat(text).contains("\"item\":7").doesNotContain("items");
  }

  @Test
  void aMessageWithBothItemAndItemsOrAnEmptyBatchCarriesNoItems() throws Exception {
    StreamMessage both = StreamMessage.read(readRequest("{\"method\":\"$/stream/item\","
        + "\"params\":{\"id\":\"s-1\",\"seq\":0,\"item\":1,\"items\":[2]}}"), codec);
    StreamMessage empty = StreamMessage.read(readRequest("{\"method\":\"$/stream/item\","
        + "\"params\":{\"id\":\"s-1\",\"seq\":0,\"items\":[]}}"), codec);
    StreamMessage notArray = StreamMessage.read(readRequest("{\"method\":\"$/stream/item\","
        + "\"params\":{\"id\":\"s-1\",\"seq\":0,\"items\":{\"a\":1}}}"), codec);

    assertThat(both.itemCount()).isZero();
    assertThat(empty.itemCount()).isZero();
    assertThat(notArray.itemCount()).isZero();
  }

  @Test
  void creditWrittenByAServerReadsBackOnTheClientAsANotification() throws Exception {
    String text = payload(StreamMessage.writeCredit(codec, ByteBufAllocator.DEFAULT, ID, true, 64));

    Object msg = readOnClient(text);

    assertThat(msg).isInstanceOf(Request.class);
    StreamMessage m = StreamMessage.read((Request) msg, codec);
    assertThat(m.type()).isEqualTo(StreamMessage.Type.CREDIT);
    assertThat(m.streamId()).isEqualTo(ID);
    assertThat(m.n()).isEqualTo(64);
  }

  @Test
  void anAnswerStillReadsAsAnAnswerOnTheClient() throws Exception {
    Object msg = readOnClient("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":null}");

    assertThat(msg).isInstanceOf(RawResponse.class);
    RawResponse r = (RawResponse) msg;
    assertThat(r.id()).isEqualTo(ID);
    assertThat(new String(r.result(), UTF_8)).isEqualTo("null");
  }

  @Test
  void membersInAnyOrderAndUnknownMembersAreRead() throws Exception {
    Request r = readRequest("{\"params\":{\"item\":{\"deep\":[1,2]},\"extra\":{\"x\":1},"
        + "\"seq\":3,\"id\":\"s-1\"},\"method\":\"$/stream/item\"}");

    StreamMessage m = StreamMessage.read(r, codec);

    assertThat(m.seq()).isEqualTo(3);
    assertThat(new String(m.items()[0], UTF_8)).isEqualTo("{\"deep\":[1,2]}");
  }

  @Test
  void numbersThatAreNotNonNegativeIntegersReadAsAbsent() throws Exception {
    StreamMessage m = StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/item\",\"params\":{\"id\":\"s-1\",\"seq\":-1,\"item\":1}}"), codec);
    StreamMessage c = StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/credit\",\"params\":{\"id\":\"s-1\",\"n\":\"5\"}}"), codec);
    StreamMessage f = StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/credit\",\"params\":{\"id\":\"s-1\",\"n\":2.5}}"), codec);

    assertThat(m.seq()).isEqualTo(StreamMessage.ABSENT);
    assertThat(c.n()).isEqualTo(StreamMessage.ABSENT);
    assertThat(f.n()).isEqualTo(StreamMessage.ABSENT);
  }

  @Test
  void messagesThatCannotBeRoutedReadAsNull() throws Exception {
    assertThat(StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/item\",\"params\":{\"seq\":0,\"item\":1}}"), codec)).isNull();
    assertThat(StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/item\",\"params\":{\"id\":{\"a\":1},\"seq\":0}}"), codec)).isNull();
    assertThat(StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/item\",\"params\":[\"s-1\",0]}"), codec)).isNull();
    assertThat(StreamMessage.read(readRequest("{\"method\":\"$/stream/item\"}"), codec)).isNull();
    assertThat(StreamMessage.read(readRequest(
        "{\"method\":\"$/stream/other\",\"params\":{\"id\":\"s-1\"}}"), codec)).isNull();
  }

  @Test
  void onlyNotificationsUnderTheStreamPrefixAreStreamMessages() throws Exception {
    assertThat(StreamMessage.is(readRequest(
        "{\"id\":1,\"method\":\"$/stream/item\",\"params\":{}}"))).isFalse();
    assertThat(StreamMessage.is(readRequest(
        "{\"method\":\"$/cancel\",\"params\":{\"id\":1}}"))).isFalse();
    assertThat(StreamMessage.is(readRequest(
        "{\"method\":\"$/stream/end\",\"params\":{\"id\":1}}"))).isTrue();
  }
}

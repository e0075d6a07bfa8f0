package io.keelrpc.core.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.wire.KeelFrameDecoder;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.Request;
import io.keelrpc.core.wire.StreamKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** {@code meta.stream} and {@code meta.credit}: the request that opens a stream. */
class MessageCodecStreamMetaTest {
  private final MessageCodec codec = new MessageCodec();

  private Request read(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readRequest(frame);
    } finally {
      frame.release();
    }
  }

  private static String payload(ByteBuf frame) {
    try {
      return frame.toString(KeelFrameDecoder.LENGTH_BYTES,
          frame.readableBytes() - KeelFrameDecoder.LENGTH_BYTES, UTF_8);
    } finally {
      frame.release();
    }
  }

  @Test
  void streamRequestFrameCarriesKindCreditAndBudget() {
    String text = payload(codec.writeStreamRequest(ByteBufAllocator.DEFAULT, "s-1", "ticks",
        "{\"n\":3}".getBytes(UTF_8), 5000, StreamKind.SERVER, 64));

    assertThat(text).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"ticks\","
        + "\"params\":{\"n\":3},\"meta\":{\"timeoutMs\":5000,\"stream\":\"server\",\"credit\":64}}");
  }

  @Test
  void theOpeningRequestOfTheProtocolPagesHexExampleIsWhatTheCodecWrites() {
    ByteBuf frame = codec.writeStreamRequest(ByteBufAllocator.DEFAULT, "s-1", "ticks",
        "{\"n\":3}".getBytes(UTF_8), Meta.NO_TIMEOUT, StreamKind.SERVER, 2);
    try {
      assertThat(frame.getInt(0)).isEqualTo(0x64); // 100-byte body, as in docs/protocol.md
      assertThat(frame.toString(4, 100, UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\","
          + "\"method\":\"ticks\",\"params\":{\"n\":3},\"meta\":{\"stream\":\"server\","
          + "\"credit\":2}}");
    } finally {
      frame.release();
    }
  }

  @Test
  void clientStreamRequestHasNoParamsNoBudgetAndNoCredit() {
    String text = payload(codec.writeStreamRequest(ByteBufAllocator.DEFAULT, "s-2", "sum", null,
        Meta.NO_TIMEOUT, StreamKind.CLIENT, 64));

    assertThat(text).isEqualTo(
        "{\"jsonrpc\":\"2.0\",\"id\":\"s-2\",\"method\":\"sum\",\"meta\":{\"stream\":\"client\"}}");
  }

  @Test
  void writtenStreamRequestReadsBackWithItsKindAndCredit() throws Exception {
    Request r = read(payload(codec.writeStreamRequest(ByteBufAllocator.DEFAULT, "s-3", "chat",
        null, 250, StreamKind.BIDI, 16)));

    assertThat(r.meta()).isEqualTo(new Meta(250, Meta.NO_ATTEMPT, null, StreamKind.BIDI, 16));
    assertThat(r.meta().isStream()).isTrue();
  }

  @Test
  void ordinaryRequestsHaveNoStream() throws Exception {
    Request r = read("{\"id\":1,\"method\":\"m\",\"meta\":{\"timeoutMs\":5}}");

    assertThat(r.meta().isStream()).isFalse();
    assertThat(r.meta().stream()).isNull();
    assertThat(r.meta().credit()).isZero();
  }

  @Test
  void nullMembersCountAsAbsent() throws Exception {
    Request r = read("{\"id\":1,\"method\":\"m\",\"meta\":{\"stream\":null,\"credit\":null}}");

    assertThat(r.meta()).isEqualTo(Meta.NONE);
  }

  @Test
  void unknownStreamKindIsAnInvalidRequestAnsweredWithTheId() {
    assertThatThrownBy(() -> read("{\"id\":\"x\",\"method\":\"m\",\"meta\":{\"stream\":\"both\"}}"))
        .isInstanceOfSatisfying(MalformedMessageException.class, e -> {
          assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
          assertThat(e.error().getMessage()).contains("\"meta.stream\"", "\"both\"");
          assertThat(e.id().textValue()).isEqualTo("x");
        });
    assertThatThrownBy(() -> read("{\"id\":1,\"method\":\"m\",\"meta\":{\"stream\":1}}"))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void creditMustBeAnIntegerInRange() {
    for (String bad : new String[] {"-1", "1.5", "\"3\"", "2147483648", "[]"}) {
      assertThatThrownBy(() -> read("{\"id\":1,\"method\":\"m\",\"meta\":{\"stream\":\"server\","
          + "\"credit\":" + bad + "}}"))
          .as(bad)
          .isInstanceOfSatisfying(MalformedMessageException.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST.code());
            assertThat(e.error().getMessage()).contains("\"meta.credit\"");
          });
    }
  }

  @Test
  void kindsKnowWhichSideSendsItems() {
    assertThat(StreamKind.SERVER.serverSendsItems()).isTrue();
    assertThat(StreamKind.SERVER.clientSendsItems()).isFalse();
    assertThat(StreamKind.CLIENT.serverSendsItems()).isFalse();
    assertThat(StreamKind.CLIENT.clientSendsItems()).isTrue();
    assertThat(StreamKind.BIDI.serverSendsItems()).isTrue();
    assertThat(StreamKind.BIDI.clientSendsItems()).isTrue();
    assertThat(StreamKind.fromWireName("bidi")).isEqualTo(StreamKind.BIDI);
    assertThat(StreamKind.fromWireName("BIDI")).isNull();
  }
}

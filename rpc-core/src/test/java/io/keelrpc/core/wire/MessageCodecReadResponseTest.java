package io.keelrpc.core.wire;

import static io.keelrpc.core.wire.Frames.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.core.InvalidRequestException;
import io.keelrpc.core.ParseErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Responses {@link MessageCodec#readResponse} accepts from every kind of peer, and refuses. */
class MessageCodecReadResponseTest {
  private final MessageCodec codec = new MessageCodec();

  private Response read(String text) throws MalformedMessageException {
    ByteBuf frame = Unpooled.copiedBuffer(text, UTF_8);
    try {
      return codec.readResponse(frame);
    } finally {
      frame.release();
    }
  }

  private MalformedMessageException reject(String text) {
    MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
        () -> read(text));
    assertThat(e).as("readResponse should refuse %s", text).isNotNull();
    return e;
  }

  @Test
  void responseWithoutJsonrpcIsASuccess() throws Exception {
    Response r = read("{\"id\":\"a\",\"result\":{\"value\":6}}");

    assertThat(r.isError()).isFalse();
    assertThat(r.id()).isEqualTo(json("\"a\""));
    assertThat(r.result()).isEqualTo(json("{\"value\":6}"));
  }

  @Test
  void goStyleResponseWithNullErrorIsASuccess() throws Exception {
    Response r = read("{\"id\":1,\"result\":5,\"error\":null}");

    assertThat(r.isError()).isFalse();
    assertThat(r.error()).isNull();
    assertThat(r.result()).isEqualTo(json("5"));
    assertThat(r.id()).isEqualTo(json("1"));
  }

  @Test
  void errorResponseCarriesCodeMessageAndData() throws Exception {
    Response r = read("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":1001,"
        + "\"message\":\"version mismatch\",\"data\":{\"actualVersion\":7}}}");

    assertThat(r.isError()).isTrue();
    assertThat(r.result()).isNull();
    assertThat(r.error()).isEqualTo(
        new ErrorObject(1001, "version mismatch", json("{\"actualVersion\":7}")));
  }

  @Test
  void errorWithNullDataOrNoMessageReadsAsNoDataAndEmptyMessage() throws Exception {
    Response r = read("{\"id\":null,\"error\":{\"code\":-32600,\"data\":null}}");

    assertThat(r.error()).isEqualTo(new ErrorObject(-32600, "", null));
    assertThat(r.id().isNull()).isTrue();
  }

  @Test
  void errorOutranksAResultSentAlongside() throws Exception {
    Response r = read("{\"id\":1,\"result\":5,\"error\":{\"code\":-32003,\"message\":\"draining\"}}");

    assertThat(r.isError()).isTrue();
    assertThat(r.error().code()).isEqualTo(-32003);
  }

  @Test
  void missingResultAndIdReadAsJsonNull() throws Exception {
    Response r = read("{\"jsonrpc\":\"2.0\"}");

    assertThat(r.isError()).isFalse();
    assertThat(r.id().isNull()).isTrue();
    assertThat(r.result().isNull()).isTrue();
  }

  @Test
  void errorWithoutNumericCodeIsRefusedKeepingTheId() {
    MalformedMessageException stringError = reject("{\"id\":2,\"error\":\"boom\"}");
    MalformedMessageException noCode = reject("{\"id\":3,\"error\":{\"message\":\"boom\"}}");

    assertThat(stringError.error()).isInstanceOf(InvalidRequestException.class);
    assertThat(stringError.id()).isEqualTo(json("2"));
    assertThat(noCode.error()).isInstanceOf(InvalidRequestException.class);
    assertThat(noCode.id()).isEqualTo(json("3"));
  }

  @Test
  void nonObjectOrNonJsonResponsesAreRefused() {
    assertThat(reject("[1]").error()).isInstanceOf(InvalidRequestException.class);
    assertThat(reject("oops").error()).isInstanceOf(ParseErrorException.class);
  }
}

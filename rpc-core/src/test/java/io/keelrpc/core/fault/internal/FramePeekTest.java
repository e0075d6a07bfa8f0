package io.keelrpc.core.fault.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.fault.internal.FramePeek.RequestInfo;
import io.keelrpc.core.wire.Meta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The peek reads id, method and attempt wherever they are, on heap and direct buffers alike. */
class FramePeekTest {
  private static ByteBuf buffer(boolean direct, String prefix, String json) {
    byte[] bytes = (prefix + json).getBytes(UTF_8);
    ByteBuf b = direct ? Unpooled.directBuffer(bytes.length) : Unpooled.buffer(bytes.length);
    return b.writeBytes(bytes);
  }

  private static RequestInfo request(boolean direct, String json) {
    ByteBuf b = buffer(direct, "LLLL", json);
    try {
      RequestInfo info = FramePeek.request(b, 4);
      assertThat(b.readerIndex()).as("indices untouched").isZero();
      assertThat(b.refCnt()).isEqualTo(1);
      return info;
    } finally {
      b.release();
    }
  }

  private static String responseId(boolean direct, String json) {
    ByteBuf b = buffer(direct, "", json);
    try {
      return FramePeek.responseId(b, 0);
    } finally {
      b.release();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsMetaAfterLargeParams(boolean direct) {
    String params = "{\"blob\":\"" + "x".repeat(20_000) + "\",\"list\":[1,[2,{\"id\":\"no\"}]]}";

    assertThat(request(direct, "{\"jsonrpc\":\"2.0\",\"id\":\"c-1\",\"method\":\"kv.put\","
        + "\"params\":" + params + ",\"meta\":{\"timeoutMs\":5,\"attempt\":3}}"))
        .isEqualTo(new RequestInfo("c-1", "kv.put", 3));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsMembersInAnyOrderAndNumericIds(boolean direct) {
    assertThat(request(direct, "{\"meta\":{\"attempt\":2},\"method\":\"inc\",\"id\":17}"))
        .isEqualTo(new RequestInfo("17", "inc", 2));
    assertThat(request(direct, "{\"method\":\"inc\",\"id\":\"a\"}"))
        .isEqualTo(new RequestInfo("a", "inc", Meta.NO_ATTEMPT));
    assertThat(request(direct, "{\"method\":\"inc\",\"id\":\"a\",\"meta\":{\"attempt\":\"2\"}}"))
        .isEqualTo(new RequestInfo("a", "inc", Meta.NO_ATTEMPT));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void requestsWithoutIdentityOrUnreadableAreNull(boolean direct) {
    assertThat(request(direct, "{\"method\":\"inc\"}")).as("notification").isNull();
    assertThat(request(direct, "{\"id\":null,\"method\":\"inc\"}")).isNull();
    assertThat(request(direct, "{\"id\":{},\"method\":\"inc\"}")).isNull();
    assertThat(request(direct, "{\"id\":\"a\",\"method\":7}")).isNull();
    assertThat(request(direct, "[{\"id\":\"a\",\"method\":\"inc\"}]")).isNull();
    assertThat(request(direct, "{\"id\":\"a\",\"method\":")).isNull();
    assertThat(request(direct, "")).isNull();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsTheIdOfAnswers(boolean direct) {
    assertThat(responseId(direct, "{\"jsonrpc\":\"2.0\",\"id\":\"c-1\",\"result\":{}}"))
        .isEqualTo("c-1");
    assertThat(responseId(direct, "{\"result\":[1,2],\"id\":5}")).isEqualTo("5");
    assertThat(responseId(direct, "{\"id\":null,\"error\":{\"code\":-32600}}")).isNull();
    assertThat(responseId(direct, "not json")).isNull();
  }
}

package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.server.internal.ProtocolSniffer.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The first-bytes table of {@link ProtocolSniffer}. */
class ProtocolSnifferTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "'GET / HTTP/1.1', HTTP", "'POST /rpc', HTTP", "'HEAD ', HTTP", "'PUT ', HTTP",
      "'DELETE ', HTTP", "'OPTIONS * HTTP/1.1', HTTP", "'PATCH ', HTTP", "'TRACE ', HTTP",
      "'CONNECT ', HTTP",
      "G, NEED_MORE", "'GET', NEED_MORE", "'P', NEED_MORE", "'OPTIONS', NEED_MORE",
      "'GETX', KEEL_1", "'HELLO', KEEL_1", "'get ', KEEL_1", "'POSTS', KEEL_1", "X, KEEL_1",
      "'{\"method\"', GO"})
  void textDecides(String first, Verdict expected) {
    assertThat(detect(first.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "0x{0}")
  @CsvSource({"00", "01", "7f", "ff"})
  void keel1LengthBytesDecideAtOnce(String hex) {
    assertThat(detect(new byte[] {(byte) Integer.parseInt(hex, 16)})).isEqualTo(Verdict.KEEL_1);
  }

  private static Verdict detect(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      return ProtocolSniffer.detect(buf);
    } finally {
      buf.release();
    }
  }
}

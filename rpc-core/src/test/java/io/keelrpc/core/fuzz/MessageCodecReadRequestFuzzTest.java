package io.keelrpc.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.wire.MalformedMessageException;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of {@link MessageCodec#readRequest}: any bytes give either a
 * {@link Request} or a {@link MalformedMessageException} carrying an error, never any other
 * exception. Each input is parsed three ways (a heap array, a heap slice at a non-zero offset,
 * a direct buffer) which must agree, and a returned request must be well formed: a non-empty
 * method within the name limit and {@code params}, when present, a JSON object or array on its own.
 *
 * <p>Under {@code mvn test} this replays the regression corpus in
 * {@code src/test/resources/io/keelrpc/core/fuzz/MessageCodecReadRequestFuzzTestInputs/}; see
 * docs/fuzzing.md for a longer, coverage-guided session.
 */
class MessageCodecReadRequestFuzzTest {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @FuzzTest
  void readRequestReturnsRequestOrMalformed(byte[] input) throws IOException {
    String heap = outcome(Unpooled.wrappedBuffer(input));

    ByteBuf padded = Unpooled.buffer(input.length + 7);
    padded.writeBytes(new byte[] {'{', '"', 'x', '"', ':', '1', '}'});
    padded.writeBytes(input);
    String sliced;
    try {
      sliced = outcome(padded.slice(7, input.length).retain());
    } finally {
      padded.release();
    }

    ByteBuf direct = Unpooled.directBuffer(Math.max(1, input.length));
    direct.writeBytes(input);
    String directOutcome = outcome(direct);

    assertThat(sliced).isEqualTo(heap);
    assertThat(directOutcome).isEqualTo(heap);
  }

  /** Parses and releases {@code frame}; describes the outcome so the three reads can compare. */
  private static String outcome(ByteBuf frame) throws IOException {
    try {
      Request r = CODEC.readRequest(frame);
      assertThat(r.method()).isNotEmpty();
      assertThat(r.method().length()).isLessThanOrEqualTo(MethodDescriptor.MAX_NAME_LENGTH);
      if (r.params() != null) {
        assertThat(PLAIN.readTree(r.params()).isContainerNode())
            .as("params %s", new String(r.params(), java.nio.charset.StandardCharsets.UTF_8))
            .isTrue();
      }
      return "request " + r;
    } catch (MalformedMessageException e) {
      assertThat(e.error()).isNotNull();
      return "malformed " + e.error().getClass().getSimpleName() + " " + e.id();
    } finally {
      frame.release();
    }
  }
}

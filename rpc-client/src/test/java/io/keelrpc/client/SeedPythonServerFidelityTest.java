package io.keelrpc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.time.FakeClock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test stand-in for the seed's Python server answers byte for byte as the seed's
 * {@code RpcServer} would, so interop tests against it mean something.
 */
class SeedPythonServerFidelityTest {
  private final FakeClock clock = new FakeClock();
  private final SeedPythonServer server = SeedPythonServer.start(clock);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersInJsonDumpsStyleWithoutJsonrpc() throws IOException {
    try (Peer p = new Peer()) {
      assertThat(p.call("{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"method\":\"inc\","
          + "\"params\":{\"key\":\"a\",\"delta\":2},\"meta\":{\"timeoutMs\":250,\"attempt\":1}}"))
          .isEqualTo("{\"id\": \"r1\", \"result\": {\"key\": \"a\", \"value\": 2}}");
      assertThat(p.call("{\"id\":\"r2\",\"method\":\"get\",\"params\":{\"key\":\"a\"}}"))
          .isEqualTo("{\"id\": \"r2\", \"result\": {\"key\": \"a\", \"value\": 2}}");
    }
  }

  @Test
  void deltaDefaultsToOneAndGoesThroughPythonsInt() throws IOException {
    try (Peer p = new Peer()) {
      assertThat(p.call("{\"id\":1,\"method\":\"inc\",\"params\":{\"key\":\"a\"}}"))
          .isEqualTo("{\"id\": 1, \"result\": {\"key\": \"a\", \"value\": 1}}");
      assertThat(p.call(
              "{\"id\":2,\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":\" 5 \"}}"))
          .isEqualTo("{\"id\": 2, \"result\": {\"key\": \"a\", \"value\": 6}}");
      assertThat(p.call("{\"id\":3,\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":-2.7}}"))
          .isEqualTo("{\"id\": 3, \"result\": {\"key\": \"a\", \"value\": 4}}");
      assertThat(p.call("{\"id\":4,\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":\"x\"}}"))
          .isEqualTo("{\"id\": 4, \"error\": {\"code\": -32000, \"message\": "
              + "\"invalid literal for int() with base 10: 'x'\"}}");
      assertThat(p.call("{\"id\":5,\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":null}}"))
          .isEqualTo("{\"id\": 5, \"error\": {\"code\": -32000, \"message\": \"int() argument "
              + "must be a string, a bytes-like object or a real number, not 'NoneType'\"}}");
    }
  }

  @Test
  void errorsCarryTheSeedsCodesAndPythonsMessages() throws IOException {
    try (Peer p = new Peer()) {
      assertThat(p.call("{\"id\":\"e1\",\"method\":\"dec\",\"params\":{\"key\":\"a\"}}"))
          .isEqualTo("{\"id\": \"e1\", \"error\": {\"code\": -32601, \"message\": "
              + "\"Method not found\"}}");
      assertThat(p.call("{\"id\":\"e2\",\"method\":\"inc\",\"params\":{\"delta\":1}}"))
          .isEqualTo("{\"id\": \"e2\", \"error\": {\"code\": -32000, \"message\": \"'key'\"}}");
      assertThat(p.call("{\"id\":\"e3\",\"method\":\"get\"}"))
          .isEqualTo("{\"id\": \"e3\", \"error\": {\"code\": -32000, \"message\": \"'key'\"}}");
      assertThat(p.call("{\"id\":\"e4\",\"method\":\"get\",\"params\":{\"key\":[1]}}"))
          .isEqualTo("{\"id\": \"e4\", \"error\": {\"code\": -32000, \"message\": "
              + "\"unhashable type: 'list'\"}}");
      assertThat(p.call("{\"method\":\"nope\"}"))
          .isEqualTo("{\"id\": null, \"error\": {\"code\": -32601, \"message\": "
              + "\"Method not found\"}}");
    }
  }

  @Test
  void paramsThatAreNotAnObjectFailAsPythonSubscriptsFail() throws IOException {
    try (Peer p = new Peer()) {
      assertThat(p.call("{\"id\":\"s1\",\"method\":\"inc\",\"params\":[1]}"))
          .isEqualTo("{\"id\": \"s1\", \"error\": {\"code\": -32000, \"message\": "
              + "\"list indices must be integers or slices, not str\"}}");
      assertThat(p.call("{\"id\":\"s2\",\"method\":\"inc\",\"params\":\"abc\"}"))
          .isEqualTo("{\"id\": \"s2\", \"error\": {\"code\": -32000, \"message\": "
              + "\"string indices must be integers, not 'str'\"}}");
      assertThat(p.call("{\"id\":\"s3\",\"method\":\"inc\",\"params\":5}"))
          .isEqualTo("{\"id\": \"s3\", \"error\": {\"code\": -32000, \"message\": "
              + "\"'int' object is not subscriptable\"}}");
      assertThat(p.call("{\"id\":\"s4\",\"method\":\"inc\",\"params\":{\"key\":\"z\","
              + "\"delta\":NaN}}"))
          .isEqualTo("{\"id\": \"s4\", \"error\": {\"code\": -32000, \"message\": "
              + "\"cannot convert float NaN to integer\"}}");
    }
  }

  @Test
  void nonAsciiIsEscapedAsJsonDumpsDoes() throws IOException {
    try (Peer p = new Peer()) {
      assertThat(p.call("{\"id\":\"u\",\"method\":\"get\",\"params\":{\"key\":\"caf\u00e9\"}}"))
          .isEqualTo("{\"id\": \"u\", \"result\": {\"key\": \"caf\\u00e9\", \"value\": 0}}");
    }
  }

  @Test
  void sameIdWithinTenSecondsReplaysTheCachedAnswerWhateverTheMethod() throws IOException {
    try (Peer p = new Peer()) {
      String first = p.call("{\"id\":\"same\",\"method\":\"inc\",\"params\":{\"key\":\"a\"}}");
      String again = p.call("{\"id\":\"same\",\"method\":\"inc\",\"params\":{\"key\":\"a\"}}");
      String other = p.call("{\"id\":\"same\",\"method\":\"get\",\"params\":{\"key\":\"b\"}}");

      assertThat(again).isEqualTo(first);
      assertThat(other).isEqualTo(first);
      assertThat(server.handlerRuns()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(10));
      assertThat(p.call("{\"id\":\"same\",\"method\":\"inc\",\"params\":{\"key\":\"a\"}}"))
          .isEqualTo("{\"id\": \"same\", \"result\": {\"key\": \"a\", \"value\": 2}}");
      assertThat(server.handlerRuns()).isEqualTo(2);
    }
  }

  @Test
  void stateIsSharedAcrossConnections() throws IOException {
    try (Peer one = new Peer(); Peer two = new Peer()) {
      one.call("{\"id\":\"c1\",\"method\":\"inc\",\"params\":{\"key\":\"k\",\"delta\":4}}");

      assertThat(two.call("{\"id\":\"c2\",\"method\":\"get\",\"params\":{\"key\":\"k\"}}"))
          .isEqualTo("{\"id\": \"c2\", \"result\": {\"key\": \"k\", \"value\": 4}}");
    }
  }

  @Test
  void frameThatIsNotJsonClosesTheConnectionWithoutAnAnswer() throws IOException {
    try (Peer p = new Peer()) {
      p.send("not json");

      assertThatThrownBy(p::receive).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void requestThatIsNotAnObjectClosesTheConnectionWithoutAnAnswer() throws IOException {
    try (Peer p = new Peer()) {
      p.send("[{\"id\":1,\"method\":\"get\",\"params\":{\"key\":\"a\"}}]");

      assertThatThrownBy(p::receive).isInstanceOf(EOFException.class);
    }
  }

  /** A blocking client speaking the seed's framing. */
  private final class Peer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    Peer() throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
    }

    void send(String json) throws IOException {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
      out.flush();
    }

    String receive() throws IOException {
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    String call(String json) throws IOException {
      send(json);
      return receive();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

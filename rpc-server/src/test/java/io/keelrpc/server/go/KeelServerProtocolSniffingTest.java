package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One port, two protocols: the first byte of a connection decides between {@code keel/1} and Go's
 * {@code net/rpc/jsonrpc}, and both reach the same handlers.
 */
class KeelServerProtocolSniffingTest extends GoTestSupport {
  private static final int CONNECTIONS_PER_PROTOCOL = 4;
  private static final int CALLS_PER_CONNECTION = 50;

  private final CounterService counters = new CounterService();
  private final ExecutorService pool = Executors.newFixedThreadPool(2 * CONNECTIONS_PER_PROTOCOL);
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(counters.registerOn(builder().workerThreads(4)));
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void keel1AndGoConnectionsOnTheSamePortAtOnceAllReachTheSameCounter() throws Exception {
    List<Future<Set<Long>>> runs = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS_PER_PROTOCOL; i++) {
      runs.add(pool.submit(keel1Incs()));
      runs.add(pool.submit(goIncs()));
    }

    Set<Long> values = new HashSet<>();
    for (Future<Set<Long>> run : runs) {
      values.addAll(run.get(30, TimeUnit.SECONDS));
    }

    long total = 2L * CONNECTIONS_PER_PROTOCOL * CALLS_PER_CONNECTION;
    assertThat(counters.value("shared")).isEqualTo(total);
    assertThat(values).hasSize((int) total); // every increment saw its own value: none lost
  }

  @Test
  void keel1FrameSentOneByteAtATimeIsStillKeel1() throws IOException {
    FrameClient c = connect(server);
    byte[] frame = FrameClient.frame(request("k1", "inc", "{\"key\":\"bytes\"}")
        .getBytes(StandardCharsets.UTF_8));

    for (byte b : frame) {
      c.sendRaw(new byte[] {b});
    }

    assertThat(assertResult(c.read()).get("value").asLong()).isEqualTo(1);
  }

  @Test
  void firstByteThatIsNeitherProtocolGetsKeel1BadFrameAnswerAndClose() throws IOException {
    FrameClient c = connect(server);

    // "HE" could start HTTP's "HEAD ", "L" rules it out: keel/1 reads the bytes as a length
    c.sendRaw("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    JsonNode answer = c.read();

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("error").get("message").asText()).contains("frame length");
    assertThat(c.closedByPeer()).isTrue();
  }

  @Test
  void goConnectionNeverSwitchesToKeel1AfterItsFirstByte() throws IOException {
    GoLineClient c = connectGo(server);
    c.call(GoLineClient.request(1, "inc", "{\"key\":\"g\"}"));

    c.sendRaw(FrameClient.frame("{}".getBytes(StandardCharsets.UTF_8)));
    c.sendRaw("\n".getBytes(StandardCharsets.US_ASCII));
    JsonNode answer = c.read();

    assertThat(assertGoError(answer)).isNotEmpty();
    assertThat(c.call(GoLineClient.request(2, "get", "{\"key\":\"g\"}")).get("result")
        .get("value").asLong()).isEqualTo(1);
  }

  private Callable<Set<Long>> keel1Incs() {
    return () -> {
      Set<Long> seen = new HashSet<>();
      try (FrameClient c = FrameClient.connect(server.port())) {
        for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
          JsonNode answer = c.call(request(newId(), "inc", "{\"key\":\"shared\"}"));
          seen.add(assertResult(answer).get("value").asLong());
        }
      }
      return seen;
    };
  }

  private Callable<Set<Long>> goIncs() {
    return () -> {
      Set<Long> seen = new HashSet<>();
      try (GoLineClient c = GoLineClient.connect(server.port())) {
        for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
          JsonNode answer = c.call(GoLineClient.request(i, "inc", "{\"key\":\"shared\"}"));
          assertThat(answer.get("id").asLong()).isEqualTo(i);
          seen.add(assertGoResult(answer).get("value").asLong());
        }
      }
      return seen;
    };
  }
}

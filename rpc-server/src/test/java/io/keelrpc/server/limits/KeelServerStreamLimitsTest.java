package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code maxStreamsPerConnection} (OVERLOADED beyond it, the connection goes on) and
 * {@code maxStreamCredit} (the server honours and grants no more credit than the cap).
 */
class KeelServerStreamLimitsTest extends LimitsTestSupport {
  record Count(int n) {}

  static final MethodDescriptor<Count, Long> TICKS =
      MethodDescriptor.of("ticks", Count.class, Long.class);
  static final MethodDescriptor<Long, Long> SUM =
      MethodDescriptor.of("sum", Long.class, Long.class);

  private final Map<Integer, ServerStream<Long>> streams = new ConcurrentHashMap<>();

  private KeelServer server(KeelServer.Builder b) {
    return start(b.overloadRetryAfter(Duration.ofMillis(30))
        .handleServerStream(TICKS, (p, out, ctx) -> {
          streams.put(p.n(), out); // tests give each stream its own n
          for (long i = 0; i < p.n(); i++) {
            out.send(i);
          }
        })
        .handleClientStream(SUM, (in, ctx) -> {
          long sum = 0;
          for (Long n : in) {
            sum += n;
          }
          return sum;
        }));
  }

  private static String openTicks(String id, int n, int credit) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ticks\",\"params\":{\"n\":" + n
        + "},\"meta\":{\"stream\":\"server\",\"credit\":" + credit + "}}";
  }

  private static String credit(String id, long n) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/credit\",\"params\":{\"id\":\"" + id
        + "\",\"n\":" + n + "}}";
  }

  private static String probe(String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"$/probe\"}";
  }

  /** Reads item messages of stream {@code id} until {@code n} items came; fails on others. */
  private static void readItems(FrameClient c, String id, int n) throws IOException {
    int items = 0;
    while (items < n) {
      JsonNode msg = c.read();
      assertThat(msg.path("method").asText()).as("%s", msg).isEqualTo("$/stream/item");
      assertThat(msg.path("params").path("id").asText()).isEqualTo(id);
      items += msg.path("params").has("items") ? msg.path("params").get("items").size() : 1;
    }
    assertThat(items).isEqualTo(n);
  }

  @Test
  void streamBeyondTheCapIsOverloadedAndTheConnectionGoesOn() throws Exception {
    KeelServer server = server(limitsBuilder().maxStreamsPerConnection(1));
    FrameClient c = connect(server);
    c.send(openTicks("t-1", 2, 0)); // waits for credit: stays open
    await().atMost(Duration.ofSeconds(5)).until(() -> streams.containsKey(2));

    c.send(openTicks("t-2", 3, 5));
    JsonNode refused = c.read();

    assertThat(refused.path("id").asText()).isEqualTo("t-2");
    JsonNode error = assertError(refused, ErrorCode.OVERLOADED.code());
    assertThat(error.path("data").path("retryAfterMs").asLong()).isEqualTo(30);
    assertThat(streams).doesNotContainKey(3);
    assertServed(c, "plain");
    assertServed(connect(server), "other");

    c.send(credit("t-1", 2));
    readItems(c, "t-1", 2);
    assertResult(c.read());
    c.send(openTicks("t-3", 1, 1)); // the slot is free again
    readItems(c, "t-3", 1);
    assertThat(c.read().path("id").asText()).isEqualTo("t-3");
  }

  @Test
  void serverSendsNoMoreItemsThanTheCreditCapWhateverTheClientGrants() throws Exception {
    KeelServer server = server(limitsBuilder().maxStreamCredit(2));
    FrameClient c = connect(server);

    c.send(openTicks("t-1", 5, 100));
    readItems(c, "t-1", 2);
    await().atMost(Duration.ofSeconds(5))
        .until(() -> streams.containsKey(5) && !streams.get(5).isReady());
    c.send(probe("p-1"));

    assertError(c.read(), ErrorCode.METHOD_NOT_FOUND.code()); // no third item came first
    assertThat(streams.get(5).sent()).isEqualTo(2);
    c.send(credit("t-1", 100));
    readItems(c, "t-1", 2);
    c.send(credit("t-1", 100));
    readItems(c, "t-1", 1);
    assertResult(c.read());
  }

  @Test
  void serverGrantsAClientStreamNoMoreThanTheCreditCap() throws Exception {
    KeelServer server = server(limitsBuilder().maxStreamCredit(3));
    FrameClient c = connect(server);

    c.send("{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"method\":\"sum\",\"meta\":{\"stream\":\"client\"}}");
    JsonNode grant = c.read();

    assertThat(grant.path("method").asText()).isEqualTo("$/stream/credit");
    assertThat(grant.path("params").path("n").asLong()).isEqualTo(3);
  }

  @Test
  void streamLimitsRejectZero() {
    assertThatThrownBy(() -> KeelServer.builder().maxStreamsPerConnection(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxStreamsPerConnection: 0 (expected: >= 1)");
    assertThatThrownBy(() -> KeelServer.builder().maxStreamCredit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxStreamCredit: 0 (expected: >= 1)");
  }
}

package io.keelrpc.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Methods and raw messages the server's stream tests share. */
final class StreamFixtures {
  /** Params of {@link #TICKS}. */
  record Count(int n) {}

  /** Server stream: the items 0..n-1. */
  static final MethodDescriptor<Count, Long> TICKS =
      MethodDescriptor.of("ticks", Count.class, Long.class);
  /** Client stream: the sum of the items. */
  static final MethodDescriptor<Long, Long> SUM =
      MethodDescriptor.of("sum", Long.class, Long.class);
  /** Bidirectional: each item back in upper case. */
  static final MethodDescriptor<String, String> UPPER =
      MethodDescriptor.of("upper", String.class, String.class);
  /** An ordinary method. */
  static final MethodDescriptor<Count, Long> PLAIN =
      MethodDescriptor.of("plain", Count.class, Long.class);

  private StreamFixtures() {}

  /** A request opening a stream of {@code kind} with {@code credit}, no params. */
  static String open(String id, String method, String kind, int credit) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"" + method
        + "\",\"meta\":{\"stream\":\"" + kind + "\",\"credit\":" + credit + "}}";
  }

  /** A request opening a server stream of {@code n} ticks with {@code credit}. */
  static String openTicks(String id, int n, int credit) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"ticks\",\"params\":{\"n\":" + n
        + "},\"meta\":{\"stream\":\"server\",\"credit\":" + credit + "}}";
  }

  static String item(String id, long seq, String itemJson) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"" + id
        + "\",\"seq\":" + seq + ",\"item\":" + itemJson + "}}";
  }

  static String credit(String id, long n) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/credit\",\"params\":{\"id\":\"" + id
        + "\",\"n\":" + n + "}}";
  }

  static String end(String id, long count) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/end\",\"params\":{\"id\":\"" + id
        + "\",\"count\":" + count + "}}";
  }

  static String cancel(String id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":\"" + id + "\"}}";
  }

  /** A request for a reserved method: answered METHOD_NOT_FOUND after everything before it. */
  static String probe(String id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"$/probe\"}";
  }

  /**
   * Reads item messages of stream {@code id} until {@code n} items came (one message may carry
   * several, as {@code "items"}), checking that they are numbered from {@code firstSeq} without
   * gaps; returns the items.
   */
  static List<JsonNode> readItems(FrameClient c, String id, long firstSeq, int n)
      throws IOException {
    List<JsonNode> items = new ArrayList<>();
    while (items.size() < n) {
      JsonNode msg = c.read();
      assertThat(msg.path("method").asText()).as("%s", msg).isEqualTo("$/stream/item");
      assertThat(msg.has("id")).as("a notification: %s", msg).isFalse();
      JsonNode params = msg.path("params");
      assertThat(params.path("id").asText()).isEqualTo(id);
      assertThat(params.path("seq").asLong()).as("%s", msg).isEqualTo(firstSeq + items.size());
      if (params.has("items")) {
        params.get("items").forEach(items::add);
      } else {
        items.add(params.get("item"));
      }
    }
    assertThat(items).as("items beyond the %s expected", n).hasSize(n);
    return items;
  }

  /** Blocks a handler until {@code latch} opens; gives up after the gate's limit. */
  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(Gate.MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("latch never opened");
    }
  }
}

package io.keelrpc.server.stream;

import static io.keelrpc.server.stream.StreamFixtures.PLAIN;
import static io.keelrpc.server.stream.StreamFixtures.SUM;
import static io.keelrpc.server.stream.StreamFixtures.TICKS;
import static io.keelrpc.server.stream.StreamFixtures.end;
import static io.keelrpc.server.stream.StreamFixtures.item;
import static io.keelrpc.server.stream.StreamFixtures.open;
import static io.keelrpc.server.stream.StreamFixtures.openTicks;
import static io.keelrpc.server.stream.StreamFixtures.probe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a server answers to streams it cannot serve, and to callers that break the stream
 * protocol: a typed error answer with the stream's id, which ends the stream.
 */
class KeelServerStreamViolationTest extends ServerTestSupport {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicBoolean handlerSawCancel = new AtomicBoolean();

  /** A client stream whose handler takes no items and waits to be cancelled. */
  private KeelServer server() {
    return start(builder()
        .handleClientStream(SUM, (in, ctx) -> {
          ctx.onCancel(cancelled::countDown);
          StreamFixtures.await(cancelled);
          handlerSawCancel.set(ctx.isCancelled());
          return -1L;
        })
        .handleServerStream(TICKS, (p, out, ctx) -> {
          for (long i = 0; i < p.n(); i++) {
            out.send(i);
          }
          throw new ApplicationException(1001, "ran out after " + p.n(), null);
        })
        .handle(PLAIN, (p, ctx) -> (long) p.n()));
  }

  /** Reads frames until the answer with {@code id}, skipping notifications (credit). */
  private static JsonNode answer(FrameClient c, String id) throws Exception {
    JsonNode m = c.read();
    while (m.has("method")) {
      m = c.read();
    }
    assertThat(m.path("id").asText()).isEqualTo(id);
    return m;
  }

  @Test
  void anItemBeyondTheCreditEndsTheStreamWithInvalidRequestAndStopsTheHandler()
      throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-1", "sum", "client", 0));
    int window = c.read().path("params").path("n").asInt();

    for (int i = 0; i <= window; i++) {
      c.send(item("v-1", i, "1"));
    }

    JsonNode error = assertError(answer(c, "v-1"), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("exceeds the credit granted");
    await().atMost(Duration.ofSeconds(5)).untilTrue(handlerSawCancel);
  }

  @Test
  void anItemOutOfSequenceEndsTheStream() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-2", "sum", "client", 0));
    c.read();

    c.send(item("v-2", 0, "1"));
    c.send(item("v-2", 2, "1"));

    JsonNode error = assertError(answer(c, "v-2"), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("item seq 2, expected 1");
  }

  @Test
  void anItemThatDoesNotBindEndsTheStreamWithInvalidParams() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-3", "sum", "client", 0));
    c.read();

    c.send(item("v-3", 0, "{\"not\":\"a number\"}"));

    assertError(answer(c, "v-3"), ErrorCode.INVALID_PARAMS.code());
  }

  @Test
  void aNullItemEndsTheStreamWithInvalidParams() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-4", "sum", "client", 0));
    c.read();

    c.send(item("v-4", 0, "null"));

    assertError(answer(c, "v-4"), ErrorCode.INVALID_PARAMS.code());
  }

  @Test
  void aBatchThatRunsPastTheCreditEndsTheStream() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-7", "sum", "client", 0));
    int window = c.read().path("params").path("n").asInt();
    StringBuilder items = new StringBuilder();
    for (int i = 0; i <= window; i++) {
      items.append(i == 0 ? "" : ",").append(i);
    }

    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"v-7\","
        + "\"seq\":0,\"items\":[" + items + "]}}");

    JsonNode error = assertError(answer(c, "v-7"), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("item " + window + " exceeds the credit");
  }

  @Test
  void anItemMessageWithoutItemsEndsTheStream() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-8", "sum", "client", 0));
    c.read();

    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"v-8\","
        + "\"seq\":0,\"items\":[]}}");

    assertError(answer(c, "v-8"), ErrorCode.INVALID_REQUEST.code());
  }

  @Test
  void anEndWithAWrongCountEndsTheStream() throws Exception {
    FrameClient c = connect(server());
    c.send(open("v-5", "sum", "client", 0));
    c.read();

    c.send(item("v-5", 0, "1"));
    c.send(end("v-5", 5));

    JsonNode error = assertError(answer(c, "v-5"), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("5 items were sent, 1 arrived");
  }

  @Test
  void itemsSentToAServerStreamEndIt() throws Exception {
    FrameClient c = connect(server());
    c.send(openTicks("v-6", 1_000, 0)); // no credit: the handler waits

    c.send(item("v-6", 0, "1"));

    JsonNode error = assertError(answer(c, "v-6"), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("the caller sends no items");
  }

  @Test
  void theKindOfStreamMustMatchTheRegistration() throws Exception {
    FrameClient c = connect(server());

    c.send(open("k-1", "sum", "server", 1));
    JsonNode wrongKind = assertError(c.read(), ErrorCode.INVALID_REQUEST.code());
    c.send(request("k-2", "sum", "{}"));
    JsonNode notOpened = assertError(c.read(), ErrorCode.INVALID_REQUEST.code());
    c.send(open("k-3", "plain", "server", 1));
    JsonNode notAStream = assertError(c.read(), ErrorCode.INVALID_REQUEST.code());
    c.send(open("k-4", "nothing", "server", 1));
    assertError(c.read(), ErrorCode.METHOD_NOT_FOUND.code());

    assertThat(wrongKind.path("message").asText())
        .isEqualTo("\"sum\" is a client stream, not a server stream; open it with "
            + "\"meta.stream\":\"client\"");
    assertThat(notOpened.path("message").asText())
        .isEqualTo("\"sum\" is a client stream; open it with \"meta.stream\":\"client\"");
    assertThat(notAStream.path("message").asText())
        .isEqualTo("\"plain\" is not a streaming method; call it without \"meta.stream\"");
  }

  @Test
  void aStreamNeedsAStringOrNumberId() throws Exception {
    FrameClient c = connect(server());

    c.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ticks\",\"params\":{\"n\":1},"
        + "\"meta\":{\"stream\":\"server\",\"credit\":1}}");

    JsonNode error = assertError(c.read(), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("needs a string or number id");
  }

  @Test
  void aSecondStreamWithTheIdOfAnOpenStreamIsRefused() throws Exception {
    FrameClient c = connect(server());
    c.send(open("d-1", "sum", "client", 0));
    c.read();

    c.send(open("d-1", "sum", "client", 0));

    JsonNode error = assertError(c.read(), ErrorCode.INVALID_REQUEST.code());
    assertThat(error.path("message").asText()).contains("already open");
    c.send(item("d-1", 0, "5")); // the first stream is still served
    c.send(item("d-1", 1, "5"));
    c.send(item("d-1", 2, "5"));
    c.send(item("d-1", 3, "5"));
    c.send(end("d-1", 4));
    c.send(probe("p-1"));
    assertError(c.read(), ErrorCode.METHOD_NOT_FOUND.code());
    assertThat(cancelled.getCount()).isEqualTo(1);
  }

  @Test
  void aHandlerErrorEndsTheStreamAfterTheItemsItSent() throws Exception {
    FrameClient c = connect(server());

    c.send(openTicks("e-1", 2, 10));

    assertThat(StreamFixtures.readItems(c, "e-1", 0, 2)).extracting(JsonNode::asLong)
        .containsExactly(0L, 1L);
    JsonNode error = assertError(c.read(), 1001);
    assertThat(error.path("message").asText()).isEqualTo("ran out after 2");
  }

  @Test
  void streamMessagesForUnknownStreamsAndUnknownProtocolMessagesAreIgnored() throws Exception {
    FrameClient c = connect(server());

    c.send(item("nobody", 0, "1"));
    c.send(StreamFixtures.credit("nobody", 3));
    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"seq\":0}}");
    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/something\",\"params\":{\"id\":\"x\"}}");
    c.send(request("u-1", "plain", "{\"n\":4}"));

    assertThat(assertResult(c.read()).asLong()).isEqualTo(4);
  }
}

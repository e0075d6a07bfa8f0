package io.keelrpc.server.stream;

import static io.keelrpc.server.stream.StreamFixtures.SUM;
import static io.keelrpc.server.stream.StreamFixtures.TICKS;
import static io.keelrpc.server.stream.StreamFixtures.UPPER;
import static io.keelrpc.server.stream.StreamFixtures.credit;
import static io.keelrpc.server.stream.StreamFixtures.end;
import static io.keelrpc.server.stream.StreamFixtures.item;
import static io.keelrpc.server.stream.StreamFixtures.open;
import static io.keelrpc.server.stream.StreamFixtures.openTicks;
import static io.keelrpc.server.stream.StreamFixtures.probe;
import static io.keelrpc.server.stream.StreamFixtures.readItems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerStream;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams on the wire, as a raw peer sees them: credit paces items, the answer ends them. */
class KeelServerStreamFlowTest extends ServerTestSupport {
  private final AtomicReference<ServerStream<Long>> out = new AtomicReference<>();

  private KeelServer server() {
    return start(builder()
        .handleServerStream(TICKS, (p, o, ctx) -> {
          out.set(o);
          for (long i = 0; i < p.n(); i++) {
            o.send(i);
          }
        })
        .handleClientStream(SUM, (in, ctx) -> {
          long sum = 0;
          for (Long n : in) {
            sum += n;
          }
          return sum;
        })
        .handleBidiStream(UPPER, (in, o, ctx) -> {
          for (String s : in) {
            o.send(s.toUpperCase());
          }
        }));
  }

  private static List<String> items(FrameClient c, String id, long firstSeq, int n)
      throws Exception {
    return readItems(c, id, firstSeq, n).stream().map(JsonNode::toString).toList();
  }

  @Test
  void aServerStreamSendsNoMoreItemsThanTheCreditGranted() throws Exception {
    FrameClient c = connect(server());

    c.send(openTicks("t-1", 5, 2));
    assertThat(items(c, "t-1", 0, 2)).containsExactly("0", "1");
    await().atMost(Duration.ofSeconds(5)).until(() -> out.get() != null && !out.get().isReady());
    c.send(probe("p-1"));

    assertError(c.read(), ErrorCode.METHOD_NOT_FOUND.code()); // no third item came first
    assertThat(out.get().sent()).isEqualTo(2);
  }

  @Test
  void grantedCreditReleasesTheNextItemsAndTheAnswerEndsTheStream() throws Exception {
    FrameClient c = connect(server());
    c.send(openTicks("t-2", 3, 1));
    assertThat(items(c, "t-2", 0, 1)).containsExactly("0");

    c.send(credit("t-2", 5));

    assertThat(items(c, "t-2", 1, 2)).containsExactly("1", "2");
    JsonNode answer = c.read();
    assertThat(answer.path("id").asText()).isEqualTo("t-2");
    assertThat(assertResult(answer).isNull()).isTrue();
  }

  @Test
  void aHandlerCanWaitForDemandWithoutBlockingInSend() throws Exception {
    AtomicInteger waits = new AtomicInteger();
    KeelServer s = start(builder().handleServerStream(TICKS, (p, o, ctx) -> {
      long i = 0;
      while (i < p.n()) {
        if (o.trySend(i)) {
          i++;
          continue;
        }
        assertThat(o.isReady()).isFalse();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        o.onReady(() -> ready.complete(null)); // on the I/O thread, when credit comes
        waits.incrementAndGet();
        ready.get(10, TimeUnit.SECONDS);
      }
    }));
    FrameClient c = connect(s);
    c.send(openTicks("r-1", 4, 2));
    assertThat(items(c, "r-1", 0, 2)).containsExactly("0", "1");

    c.send(credit("r-1", 2));

    assertThat(items(c, "r-1", 2, 2)).containsExactly("2", "3");
    assertThat(assertResult(c.read()).isNull()).isTrue();
    assertThat(waits).hasValue(1);
  }

  @Test
  void itemsMirrorAPeerThatSendsNoJsonrpcMember() throws Exception {
    FrameClient c = connect(server());

    c.send("{\"id\":7,\"method\":\"ticks\",\"params\":{\"n\":1},"
        + "\"meta\":{\"stream\":\"server\",\"credit\":1}}");

    assertThat(c.readText()).isEqualTo(
        "{\"method\":\"$/stream/item\",\"params\":{\"id\":7,\"seq\":0,\"item\":0}}");
    assertThat(c.readText()).isEqualTo("{\"id\":7,\"result\":null}");
  }

  @Test
  void aClientStreamIsGrantedItsWindowAndAnsweredWithTheResult() throws Exception {
    FrameClient c = connect(server());

    c.send(open("c-1", "sum", "client", 0));
    assertThat(c.readText()).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/credit\","
        + "\"params\":{\"id\":\"c-1\",\"n\":64}}");
    for (int i = 0; i < 10; i++) {
      c.send(item("c-1", i, Integer.toString(i)));
    }
    c.send(end("c-1", 10));

    JsonNode answer = c.read();
    while (answer.has("method")) { // credit returned as the handler took items
      assertThat(answer.path("method").asText()).isEqualTo("$/stream/credit");
      answer = c.read();
    }
    assertThat(assertResult(answer).asLong()).isEqualTo(45);
  }

  @Test
  void creditIsReturnedAsTheHandlerTakesItemsSoTheCallerCanSendMoreThanAWindow()
      throws Exception {
    FrameClient c = connect(server());
    c.send(open("c-2", "sum", "client", 0));
    long granted = c.read().path("params").path("n").asLong();
    long sent = 0;
    long expected = 0;

    while (sent < 1_000) {
      while (sent < granted && sent < 1_000) {
        c.send(item("c-2", sent, Long.toString(sent)));
        expected += sent;
        sent++;
      }
      if (sent < 1_000) {
        JsonNode more = c.read();
        assertThat(more.path("method").asText()).as("%s", more).isEqualTo("$/stream/credit");
        granted += more.path("params").path("n").asLong();
      }
    }
    c.send(end("c-2", sent));

    JsonNode answer = c.read();
    while (answer.has("method")) {
      answer = c.read();
    }
    assertThat(assertResult(answer).asLong()).isEqualTo(expected);
  }

  @Test
  void aBidiStreamCarriesItemsBothWays() throws Exception {
    FrameClient c = connect(server());
    c.send(open("b-1", "upper", "bidi", 4));
    c.read(); // the server's credit

    c.send(item("b-1", 0, "\"ab\""));
    assertThat(items(c, "b-1", 0, 1)).containsExactly("\"AB\"");
    c.send("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/item\",\"params\":{\"id\":\"b-1\","
        + "\"seq\":1,\"items\":[\"cd\",\"ef\"]}}");
    assertThat(items(c, "b-1", 1, 2)).containsExactly("\"CD\"", "\"EF\"");
    c.send(end("b-1", 3));

    assertThat(assertResult(c.read()).isNull()).isTrue();
  }

  @Test
  void anEndBeforeTheStreamIsAdmittedIsKept() throws Exception {
    io.keelrpc.server.Gate gate = gate();
    KeelServer s = start(builder()
        .maxInFlightPerConnection(1)
        .handle(StreamFixtures.PLAIN, (p, ctx) -> {
          gate.pass();
          return 1L;
        })
        .handleClientStream(SUM, (in, ctx) -> {
          long n = 0;
          for (Long x : in) {
            n += x;
          }
          return n;
        }));
    FrameClient c = connect(s);

    // one write, read at once: the stream waits behind the in-flight limit when its end arrives
    c.sendPipelined(request("u-1", "plain", "{\"n\":1}"), open("c-3", "sum", "client", 0),
        end("c-3", 0), credit("c-3", 3)); // credit: ignored, the server sends no items here
    gate.awaitEntered(1);
    gate.open();

    assertThat(assertResult(c.read()).asLong()).isEqualTo(1);
    c.read(); // the stream's credit
    JsonNode answer = c.read();
    assertThat(answer.path("id").asText()).isEqualTo("c-3");
    assertThat(assertResult(answer).asLong()).isZero();
  }
}

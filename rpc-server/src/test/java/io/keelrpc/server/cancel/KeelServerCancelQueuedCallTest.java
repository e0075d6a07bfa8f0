package io.keelrpc.server.cancel;

import static io.keelrpc.server.cancel.CancelFixtures.BLOCK;
import static io.keelrpc.server.cancel.CancelFixtures.RECORD;
import static io.keelrpc.server.cancel.CancelFixtures.cancel;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A call cancelled before its handler started never runs, wherever it waited: in the worker
 * pool's queue, or held back on its connection by the in-flight limit. One worker runs calls in
 * arrival order, so once a call sent after the cancelled one has been answered, the cancelled one
 * had its turn and was skipped.
 */
class KeelServerCancelQueuedCallTest extends ServerTestSupport {
  private final Gate gate = gate();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private KeelServer.Builder oneWorker() {
    return builder()
        .workerThreads(1)
        .handle(BLOCK, (p, ctx) -> {
          gate.pass();
          return "unblocked";
        })
        .handle(RECORD, (p, ctx) -> {
          String key = ctx.idempotencyKey().orElseThrow();
          ran.add(key);
          return "ran " + key;
        });
  }

  /** A round trip on {@code c} that needs no worker: everything sent before it has been read. */
  private static void roundTrip(FrameClient c) throws Exception {
    assertThat(c.call(request("probe", "$/nothing", "{}")).get("id").asText()).isEqualTo("probe");
  }

  private static List<String> idsOf(FrameClient c, int answers) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < answers; i++) {
      ids.add(c.read().get("id").asText());
    }
    return ids;
  }

  @Test
  void callCancelledInTheWorkerQueueNeverRuns() throws Exception {
    KeelServer server = start(oneWorker());
    FrameClient c = connect(server);
    c.send(request("b-1", "block", "{}"));
    gate.awaitEntered(1);

    c.send(request("q-2", "record", "{}"));
    c.send(cancel("q-2"));
    c.send(request("q-3", "record", "{}"));
    roundTrip(c);
    gate.open();

    assertThat(idsOf(c, 2)).containsExactly("b-1", "q-3");
    assertThat(ran).containsExactly("q-3");
  }

  @Test
  void callCancelledWhileHeldByTheConnectionLimitNeverRuns() throws Exception {
    KeelServer server = start(oneWorker().maxInFlightPerConnection(1));
    FrameClient c = connect(server);
    // One small write is one segment on loopback, read at once: the server admits the blocking
    // call, holds q-2 back (one call in flight per connection) and then reads the cancel.
    c.sendPipelined(request("b-1", "block", "{}"), request("q-2", "record", "{}"), cancel("q-2"));
    gate.awaitEntered(1);
    c.send(request("q-3", "record", "{}"));
    gate.open();

    assertThat(idsOf(c, 2)).containsExactly("b-1", "q-3");
    assertThat(ran).containsExactly("q-3");
  }

  @Test
  void aCallCancelledBeforeItRanLeftNoRecordSoItsRetryRuns() throws Exception {
    KeelServer server = start(oneWorker());
    FrameClient c = connect(server);
    c.send(request("b-1", "block", "{}"));
    gate.awaitEntered(1);
    c.send(request("q-2", "record", "{}"));
    c.send(cancel("q-2"));
    roundTrip(c);
    gate.open();
    assertThat(c.read().get("id").asText()).isEqualTo("b-1");

    assertThat(c.call(request("q-2", "record", "{}")).get("result").asText())
        .isEqualTo("ran q-2");
    assertThat(ran).containsExactly("q-2");
  }
}

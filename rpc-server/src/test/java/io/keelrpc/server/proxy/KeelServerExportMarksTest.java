package io.keelrpc.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The {@code @ReadOnly} and {@code @NonBlocking} marks of an exported interface. */
class KeelServerExportMarksTest extends ServerTestSupport {
  private final Shelf shelf = new Shelf();

  @Test
  void readOnlyMethodSkipsTheIdempotencyCacheSoADuplicateRunsAgain() throws IOException {
    KeelServer server = start(builder().export(ShelfApi.class, shelf));
    FrameClient peer = connect(server);
    String req = request(newId(), "shelf.peek", "{\"sku\":\"a\"}");

    assertResult(peer.call(req));
    shelf.put("a", 4);
    // a cached answer would still say 0
    assertThat(assertResult(peer.call(req)).path("qty").asInt()).isEqualTo(4);
    assertThat(shelf.runs("peek")).isEqualTo(2);
  }

  @Test
  void unmarkedMethodIsDeduplicatedSoADuplicateRunsOnce() throws IOException {
    KeelServer server = start(builder().export(ShelfApi.class, shelf));
    FrameClient peer = connect(server);
    String req = request(newId(), "shelf.put", "[\"a\",2]");

    assertThat(assertResult(peer.call(req)).path("qty").asInt()).isEqualTo(2);
    assertThat(assertResult(peer.call(req)).path("qty").asInt()).isEqualTo(2);
    assertThat(shelf.runs("put")).isEqualTo(1);
  }

  @Test
  void nonBlockingMethodRunsOnAnIoThreadAndOthersOnWorkers() throws IOException {
    KeelServer server = start(builder().export(ShelfApi.class, shelf));
    FrameClient peer = connect(server);

    assertThat(assertResult(peer.call(request(newId(), "shelf.where", "null"))).asText())
        .startsWith("keel-io");
    assertThat(assertResult(peer.call(request(newId(), "shelf.whereBlocking", "null"))).asText())
        .startsWith("keel-worker");
  }
}

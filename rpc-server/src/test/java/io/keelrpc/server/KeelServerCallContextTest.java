package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link CallContext#idempotencyKey()} tells a handler for each kind of request. */
class KeelServerCallContextTest extends ServerTestSupport {
  static final MethodDescriptor<JsonNode, String> KEY =
      MethodDescriptor.of("key", JsonNode.class, String.class);
  static final MethodDescriptor<JsonNode, String> READ_KEY =
      MethodDescriptor.of("readKey", JsonNode.class, String.class).asReadOnly();

  private final AtomicReference<Optional<String>> seen = new AtomicReference<>();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(builder()
        .handle(KEY, (p, ctx) -> {
          seen.set(ctx.idempotencyKey());
          return "ok";
        })
        .handle(READ_KEY, (p, ctx) -> {
          seen.set(ctx.idempotencyKey());
          return "ok";
        }));
  }

  @Test
  void stringIdIsTheIdempotencyKey() throws IOException {
    assertResult(FrameClient.callOnce(server.port(), request("call-7", "key", "{}")));

    assertThat(seen.get()).contains("call-7");
  }

  @Test
  void explicitMetaKeyWinsOverTheId() throws IOException {
    assertResult(FrameClient.callOnce(server.port(),
        request("call-8", "key", "{}", "{\"idempotencyKey\":\"order-42\"}")));

    assertThat(seen.get()).contains("order-42");
  }

  @Test
  void numericIdHasNoIdempotencyKey() throws IOException {
    assertResult(FrameClient.callOnce(server.port(),
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"key\",\"params\":{}}"));

    assertThat(seen.get()).isEmpty();
  }

  @Test
  void readOnlyMethodStillSeesTheKeyAlthoughItIsNotCached() throws IOException {
    assertResult(FrameClient.callOnce(server.port(), request("call-9", "readKey", "{}")));

    assertThat(seen.get()).contains("call-9");
  }
}

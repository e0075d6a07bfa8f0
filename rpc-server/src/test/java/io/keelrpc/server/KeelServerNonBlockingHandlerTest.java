package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Synchronous handlers registered with {@code handleNonBlocking} run on the I/O thread. */
class KeelServerNonBlockingHandlerTest extends ServerTestSupport {
  static final MethodDescriptor<JsonNode, JsonNode> ECHO =
      MethodDescriptor.of("echo", JsonNode.class, JsonNode.class);
  static final MethodDescriptor<JsonNode, String> FAIL =
      MethodDescriptor.of("fail", JsonNode.class, String.class);

  @Test
  void nonBlockingHandlerRunsOnAnIoThreadAndAnswers() throws IOException {
    AtomicReference<String> thread = new AtomicReference<>();
    KeelServer server = start(builder().handleNonBlocking(ECHO, (p, ctx) -> {
      thread.set(Thread.currentThread().getName());
      return p;
    }));

    JsonNode answer = FrameClient.callOnce(server.port(), request("e1", "echo", "{\"x\":1}"));

    assertThat(assertResult(answer).get("x").asInt()).isEqualTo(1);
    assertThat(thread.get()).startsWith("keel-io");
  }

  @Test
  void blockingHandlerRunsOnAWorkerThread() throws IOException {
    AtomicReference<String> thread = new AtomicReference<>();
    KeelServer server = start(builder().handle(ECHO, (p, ctx) -> {
      thread.set(Thread.currentThread().getName());
      return p;
    }));

    assertResult(FrameClient.callOnce(server.port(), request("e2", "echo", "{}")));

    assertThat(thread.get()).startsWith("keel-worker");
  }

  @Test
  void nonBlockingHandlerThatThrowsIsAnInternalError() throws IOException {
    KeelServer server = start(builder().handleNonBlocking(FAIL, (p, ctx) -> {
      throw new IllegalStateException("boom");
    }));

    JsonNode answer = FrameClient.callOnce(server.port(), request("f1", "fail", "{}"));

    assertError(answer, ErrorCode.INTERNAL_ERROR.code());
  }

  @Test
  void nonBlockingCallsAreDeduplicatedLikeOthers() throws IOException {
    int[] runs = new int[1];
    KeelServer server = start(builder().handleNonBlocking(ECHO, (p, ctx) -> {
      runs[0]++;
      return p;
    }));

    FrameClient.callOnce(server.port(), request("same", "echo", "{\"v\":2}"));
    JsonNode again = FrameClient.callOnce(server.port(), request("same", "echo", "{\"v\":2}"));

    assertThat(assertResult(again).get("v").asInt()).isEqualTo(2);
    assertThat(runs[0]).isEqualTo(1);
  }
}

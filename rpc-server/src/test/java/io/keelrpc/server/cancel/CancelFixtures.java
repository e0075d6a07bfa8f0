package io.keelrpc.server.cancel;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.Gate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Methods and messages the cancellation tests share. */
final class CancelFixtures {
  /** Params of every test method; ignored. */
  record Empty() {}

  /** A handler that waits until its call is cancelled, then returns "late". */
  static final MethodDescriptor<Empty, String> UNTIL_CANCELLED =
      MethodDescriptor.of("untilCancelled", Empty.class, String.class);
  /** A handler held at a gate. */
  static final MethodDescriptor<Empty, String> BLOCK =
      MethodDescriptor.of("block", Empty.class, String.class);
  /** A handler that records the call's id and returns it. */
  static final MethodDescriptor<JsonNode, String> RECORD =
      MethodDescriptor.of("record", JsonNode.class, String.class);
  /** An asynchronous handler whose stage the test completes. */
  static final MethodDescriptor<Empty, String> ASYNC =
      MethodDescriptor.of("async", Empty.class, String.class);

  private CancelFixtures() {}

  /** The {@code $/cancel} notification for string id {@code id}. */
  static String cancel(String id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel\",\"params\":{\"id\":\"" + id + "\"}}";
  }

  /** Blocks until {@code latch} opens; fails the handler if it does not within the gate's limit. */
  static void await(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(Gate.MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("latch never opened");
    }
  }
}

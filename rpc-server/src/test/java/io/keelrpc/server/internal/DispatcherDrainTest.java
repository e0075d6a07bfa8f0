package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.core.wire.KeelJson;
import io.keelrpc.core.wire.Meta;
import io.keelrpc.core.wire.MessageCodec;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.Gate;
import io.keelrpc.server.idempotency.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Draining, below the transport: the dispatcher reports "drained" only after the last admitted
 * call's answer was handed to the responder, because shutdown closes the connections as soon as
 * it is drained.
 */
class DispatcherDrainTest {
  record Empty() {}

  static final MethodDescriptor<Empty, String> WORK =
      MethodDescriptor.of("work", Empty.class, String.class);

  private final Gate handlerGate = new Gate();
  private final Gate responderGate = new Gate();
  private final ExecutorService workers = Executors.newSingleThreadExecutor();
  private final Dispatcher dispatcher = new Dispatcher(
      Map.of("work", Registration.sync(WORK, (p, ctx) -> {
        handlerGate.pass();
        return "done";
      })),
      null, workers, new FakeClock(), new MessageCodec(), 4, Duration.ofMillis(50));

  @AfterEach
  void tearDown() {
    handlerGate.open();
    responderGate.open();
    workers.shutdownNow();
  }

  @Test
  void drainCompletesOnlyAfterTheLastAnswerWasHandedToTheResponder() {
    AtomicReference<Outcome> answer = new AtomicReference<>();
    dispatcher.dispatch(request("r1"), (req, outcome) -> {
      answer.set(outcome);
      try {
        responderGate.pass(); // the transport is still writing the answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    handlerGate.awaitEntered(1);

    CompletableFuture<Void> drained = dispatcher.drain();
    assertThat(drained).isNotDone();
    handlerGate.open();
    responderGate.awaitEntered(1);

    assertThat(drained).as("drained while the answer is still being written").isNotDone();
    responderGate.open();
    await().atMost(Duration.ofSeconds(5)).until(drained::isDone);
    assertThat(answer.get().error()).isFalse();
  }

  @Test
  void drainWithNothingAdmittedCompletesAtOnceAndLaterRequestsAreUnavailable() throws Exception {
    CompletableFuture<Void> drained = dispatcher.drain();
    AtomicReference<Outcome> answer = new AtomicReference<>();

    dispatcher.dispatch(request("late"), (req, outcome) -> answer.set(outcome));

    assertThat(drained).isDone();
    assertThat(answer.get().error()).isTrue();
    assertThat(KeelJson.mapper().readTree(answer.get().json()).path("code").asInt())
        .isEqualTo(ErrorCode.UNAVAILABLE.code());
    assertThat(handlerGate.entered()).isZero();
  }

  @Test
  void drainWaitsForAnEarlyRejectionStillBeingAnswered() throws Exception {
    Thread transport = new Thread(() -> dispatcher.dispatch(
        new Request(TextNode.valueOf("x"), "nope", null, Meta.NONE, true), (req, outcome) -> {
          try {
            responderGate.pass(); // the transport is still writing METHOD_NOT_FOUND
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }), "transport");
    transport.start();
    responderGate.awaitEntered(1);

    CompletableFuture<Void> drained = dispatcher.drain();

    assertThat(drained).as("a request being answered was counted before drain").isNotDone();
    responderGate.open();
    await().atMost(Duration.ofSeconds(5)).until(drained::isDone);
    transport.join(5_000);
  }

  private static Request request(String id) {
    return new Request(TextNode.valueOf(id), "work", null, Meta.NONE, true);
  }
}

package io.keelrpc.server.stream;

import static io.keelrpc.server.stream.StreamFixtures.TICKS;
import static io.keelrpc.server.stream.StreamFixtures.cancel;
import static io.keelrpc.server.stream.StreamFixtures.openTicks;
import static io.keelrpc.server.stream.StreamFixtures.probe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.core.CancelledException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A stream's producer stops when its caller cancels it or its connection closes. */
class KeelServerStreamCancelTest extends ServerTestSupport {
  private final AtomicReference<Throwable> stoppedWith = new AtomicReference<>();
  private final AtomicBoolean contextCancelled = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();

  /** Sends until sending fails, then records why. */
  private KeelServer server() {
    return start(builder().handleServerStream(TICKS, (p, out, ctx) -> {
      try {
        for (long i = 0; ; i++) {
          out.send(i);
          sent.set(out.sent());
        }
      } catch (RuntimeException e) {
        contextCancelled.set(ctx.isCancelled());
        stoppedWith.set(e);
        throw e;
      }
    }));
  }

  @Test
  void cancelStopsAProducerWaitingForCreditAndTheStreamIsNotAnswered() throws Exception {
    FrameClient c = connect(server());
    c.send(openTicks("x-1", 0, 3));
    StreamFixtures.readItems(c, "x-1", 0, 3);

    c.send(cancel("x-1"));

    await().atMost(Duration.ofSeconds(5)).until(() -> stoppedWith.get() != null);
    assertThat(stoppedWith.get()).isInstanceOf(CancelledException.class)
        .hasMessageContaining("cancelled");
    assertThat(contextCancelled).isTrue();
    assertThat(sent.get()).isEqualTo(3);
    c.send(probe("p-1"));
    assertError(c.read(), ErrorCode.METHOD_NOT_FOUND.code()); // and not the stream's answer
  }

  @Test
  void closingTheConnectionStopsTheProducer() throws Exception {
    FrameClient c = connect(server());
    c.send(openTicks("x-2", 0, 1));
    StreamFixtures.readItems(c, "x-2", 0, 1);

    c.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> stoppedWith.get() != null);
    assertThat(stoppedWith.get()).isInstanceOf(CancelledException.class)
        .hasMessageContaining("connection closed");
    assertThat(contextCancelled).isTrue();
  }

  @Test
  void aStreamHoldsItsAdmissionSlotUntilItsHandlerStops() throws Exception {
    AtomicBoolean stopped = new AtomicBoolean();
    KeelServer s = start(builder()
        .workerThreads(1)
        .queueCapacity(0)
        .handleServerStream(TICKS, (p, out, ctx) -> {
          try {
            for (long i = 0; i < p.n(); i++) {
              out.send(i);
            }
          } finally {
            stopped.set(ctx.isCancelled());
          }
        }));
    FrameClient c = connect(s);
    c.send(openTicks("y-1", 100, 0)); // holds the only worker: no credit
    c.send(openTicks("y-2", 1, 1));
    assertError(c.read(), ErrorCode.OVERLOADED.code());

    c.send(cancel("y-1"));
    await().atMost(Duration.ofSeconds(5)).untilTrue(stopped);
    c.send(openTicks("y-3", 1, 1));

    assertThat(StreamFixtures.readItems(c, "y-3", 0, 1)).hasSize(1);
    assertThat(assertResult(c.read()).isNull()).isTrue();
  }
}

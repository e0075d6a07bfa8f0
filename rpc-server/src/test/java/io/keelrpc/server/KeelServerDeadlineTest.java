package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.Deadline;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code meta.timeoutMs} becomes a server deadline on the server's (here virtual) ticker. */
class KeelServerDeadlineTest extends ServerTestSupport {
  record Empty() {}

  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);
  static final MethodDescriptor<Empty, String> PROBE =
      MethodDescriptor.of("probe", Empty.class, String.class);

  private final FakeClock clock = new FakeClock();
  private final CounterService counters = new CounterService();

  @Test
  void callWhoseDeadlinePassesWhileQueuedIsDeadlineExceededWithoutRunning() throws IOException {
    Gate gate = gate();
    AtomicInteger lateRuns = new AtomicInteger();
    ObservedStore store = new ObservedStore(
        InMemoryIdempotencyStore.builder().ticker(clock).build());
    KeelServer server = start(builder().workerThreads(1).ticker(clock).idempotencyStore(store)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        })
        .handle(CounterService.INC, (p, ctx) -> {
          lateRuns.incrementAndGet();
          return counters.inc(p);
        }));
    FrameClient blocker = connect(server);
    FrameClient late = connect(server);

    blocker.send(request("blocker", "slowInc", "{\"key\":\"b\"}"));
    gate.awaitEntered(1);
    late.send(request("late", "inc", "{\"key\":\"l\"}", "{\"timeoutMs\":100}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.claims() == 2); // dispatched, queued
    clock.advance(Duration.ofMillis(150));
    gate.open();
    JsonNode answer = late.read();

    JsonNode error = assertError(answer, ErrorCode.DEADLINE_EXCEEDED.code());
    assertThat(error.get("message").asText()).contains("did not run");
    assertThat(answer.get("id").asText()).isEqualTo("late");
    assertResult(blocker.read());
    assertThat(lateRuns.get()).isZero();
    assertThat(counters.value("l")).isZero();
  }

  @Test
  void queuedCallWithinItsDeadlineRuns() throws IOException {
    Gate gate = gate();
    ObservedStore store = new ObservedStore(
        InMemoryIdempotencyStore.builder().ticker(clock).build());
    KeelServer server = start(counters.registerOn(builder().workerThreads(1).ticker(clock))
        .idempotencyStore(store)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient blocker = connect(server);
    FrameClient inTime = connect(server);

    blocker.send(request("blocker", "slowInc", "{\"key\":\"b\"}"));
    gate.awaitEntered(1);
    inTime.send(request("in-time", "inc", "{\"key\":\"t\"}", "{\"timeoutMs\":100}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.claims() == 2);
    clock.advance(Duration.ofMillis(99));
    gate.open();

    assertThat(assertResult(inTime.read()).get("value").asLong()).isEqualTo(1);
  }

  @Test
  void zeroTimeoutIsDeadlineExceededAtOnceWithoutRunning() throws IOException {
    KeelServer server = start(counters.registerOn(builder().ticker(clock)));

    JsonNode answer = FrameClient.callOnce(server.port(),
        request("zero", "inc", "{\"key\":\"z\"}", "{\"timeoutMs\":0}"));

    assertError(answer, ErrorCode.DEADLINE_EXCEEDED.code());
    assertThat(answer.get("id").asText()).isEqualTo("zero");
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void handlerSeesDeadlineDerivedFromTimeoutMs() throws IOException {
    AtomicReference<Duration> remaining = new AtomicReference<>();
    AtomicReference<Optional<Deadline>> deadline = new AtomicReference<>();
    AtomicInteger attempt = new AtomicInteger(-1);
    KeelServer server = start(builder().ticker(clock).handle(PROBE, (p, ctx) -> {
      remaining.set(ctx.timeRemaining());
      deadline.set(ctx.deadline());
      attempt.set(ctx.attempt());
      return ctx.method();
    }));

    JsonNode answer = FrameClient.callOnce(server.port(),
        request("probe-1", "probe", "{}", "{\"timeoutMs\":500,\"attempt\":3}"));

    assertThat(assertResult(answer).asText()).isEqualTo("probe");
    assertThat(remaining.get()).isEqualTo(Duration.ofMillis(500));
    assertThat(deadline.get()).isPresent();
    clock.advance(Duration.ofMillis(200));
    assertThat(deadline.get().get().timeRemaining()).isEqualTo(Duration.ofMillis(300));
    assertThat(attempt.get()).isEqualTo(3);
  }

  @Test
  void callWithoutTimeoutHasNoDeadline() throws IOException {
    AtomicReference<Optional<Deadline>> deadline = new AtomicReference<>();
    AtomicReference<Duration> remaining = new AtomicReference<>();
    AtomicInteger attempt = new AtomicInteger(-1);
    KeelServer server = start(builder().ticker(clock).handle(PROBE, (p, ctx) -> {
      deadline.set(ctx.deadline());
      remaining.set(ctx.timeRemaining());
      attempt.set(ctx.attempt());
      return "ok";
    }));

    assertResult(FrameClient.callOnce(server.port(), request("probe-2", "probe", "{}")));

    assertThat(deadline.get()).isEmpty();
    assertThat(remaining.get()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(attempt.get()).isZero();
  }

  @Test
  void hugeTimeoutIsAFarDeadlineNotAnOverflowedOne() throws IOException {
    AtomicReference<Duration> remaining = new AtomicReference<>();
    KeelServer server = start(builder().ticker(clock).handle(PROBE, (p, ctx) -> {
      remaining.set(ctx.timeRemaining());
      return "ok";
    }));

    JsonNode answer = FrameClient.callOnce(server.port(), request("huge", "probe", "{}",
        "{\"timeoutMs\":" + Long.MAX_VALUE + "}"));

    assertThat(assertResult(answer).asText()).isEqualTo("ok");
    assertThat(remaining.get()).isGreaterThan(Duration.ofDays(365));
  }
}

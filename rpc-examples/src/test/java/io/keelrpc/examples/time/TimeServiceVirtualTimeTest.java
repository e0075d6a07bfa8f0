package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.CancelledException;
import io.keelrpc.core.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeService} per connection on virtual time: pacing of {@code GetNextUpdate} without a
 * thread per waiting call, the end of a stream, the seed's error codes, and cleanup.
 */
class TimeServiceVirtualTimeTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private final FakeClock clock = new FakeClock();
  private final TimeService service = new TimeService(clock, clock, new VirtualWallClock(clock));
  private final FakeConnection conn = new FakeConnection();

  @Test
  void firstUpdateIsAnsweredAtOnce() {
    TimeResponse first = service.requestTimeStream(new TimeRequest(1L, 3L), conn.call());

    assertThat(first.sequenceNum()).isZero();
    assertThat(first.finalUpdate()).isFalse();
    assertThat(first.timestamp()).isEqualTo(VirtualWallClock.START.getEpochSecond());
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void nextUpdateWaitsOnTheSchedulerUntilItIsDue() {
    service.requestTimeStream(new TimeRequest(1L, 3L), conn.call());

    CompletableFuture<TimeResponse> next = service.getNextUpdate(conn.call());
    assertThat(clock.pendingDelays()).containsExactly(INTERVAL);
    clock.advance(INTERVAL.minusNanos(1));
    assertThat(next).isNotDone();
    clock.advance(Duration.ofNanos(1));

    assertThat(next).isCompleted();
    assertThat(next.join().sequenceNum()).isEqualTo(1);
    assertThat(next.join().timestamp()).isEqualTo(VirtualWallClock.START.getEpochSecond() + 1);
  }

  @Test
  void callMadeAfterItsUpdateIsDueIsAnsweredAtOnce() {
    service.requestTimeStream(new TimeRequest(1L, 10L), conn.call());
    clock.advance(Duration.ofSeconds(5));

    CompletableFuture<TimeResponse> next = service.getNextUpdate(conn.call());

    assertThat(next).isCompleted();
    assertThat(next.join().sequenceNum()).isEqualTo(1);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void followingTheStreamEndsWithIsFinalThenNoStream1003AndNothingLeft() {
    service.requestTimeStream(new TimeRequest(1L, 3L), conn.call());

    TimeResponse last = null;
    for (int i = 1; i <= 3; i++) {
      CompletableFuture<TimeResponse> next = service.getNextUpdate(conn.call());
      clock.advance(INTERVAL);
      last = next.join();
      assertThat(last.sequenceNum()).isEqualTo(i);
    }

    assertThat(last.finalUpdate()).isTrue();
    assertThat(service.activeStreams()).isZero();
    assertFailure(service.getNextUpdate(conn.call()), TimeErrors.STREAM_NOT_INITIALIZED,
        "stream not initialized: ");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void concurrentCallsOnOneConnectionTakeSuccessiveUpdatesAtTheirOwnTimes() {
    service.requestTimeStream(new TimeRequest(2L, 0L), conn.call());

    CompletableFuture<TimeResponse> a = service.getNextUpdate(conn.call());
    CompletableFuture<TimeResponse> b = service.getNextUpdate(conn.call());
    clock.advance(Duration.ofSeconds(2));

    assertThat(a.join().sequenceNum()).isEqualTo(1);
    assertThat(b).isNotDone();
    clock.advance(Duration.ofSeconds(2));
    assertThat(b.join().sequenceNum()).isEqualTo(2);
  }

  @Test
  void getNextUpdateWithoutAStreamIs1003() {
    assertFailure(service.getNextUpdate(conn.call()), TimeErrors.STREAM_NOT_INITIALIZED,
        "call TimeService.RequestTimeStream first");
  }

  @Test
  void streamsBelongToTheirConnection() {
    FakeConnection other = new FakeConnection();
    service.requestTimeStream(new TimeRequest(1L, 0L), conn.call());

    assertFailure(service.getNextUpdate(other.call()), TimeErrors.STREAM_NOT_INITIALIZED,
        "no time stream is open on this connection");
    assertThat(service.activeStreams()).isEqualTo(1);
  }

  @Test
  void callWithoutAConnectionIs1001() {
    FakeConnection.Call detached = FakeConnection.Call.withoutConnection();

    assertFailure(service.getNextUpdate(detached), TimeErrors.CONNECTION_ERROR,
        "connection error: ");
    assertFailure(CompletableFuture.supplyAsync(
            () -> service.requestTimeStream(new TimeRequest(1L, 1L), detached), Runnable::run),
        TimeErrors.CONNECTION_ERROR, "connection error: ");
  }

  @Test
  void invalidIntervalIs1002AndLeavesTheCurrentStreamOpen() {
    service.requestTimeStream(new TimeRequest(1L, 0L), conn.call());

    assertFailure(CompletableFuture.supplyAsync(
            () -> service.requestTimeStream(new TimeRequest(0L, 1L), conn.call()), Runnable::run),
        TimeErrors.INVALID_PARAMETERS, "UpdateInterval: 0");
    CompletableFuture<TimeResponse> next = service.getNextUpdate(conn.call());
    clock.advance(INTERVAL);
    assertThat(next.join().sequenceNum()).isEqualTo(1);
  }

  @Test
  void newRequestReplacesTheStreamAndItsWaitingCallGets1004() {
    service.requestTimeStream(new TimeRequest(1L, 0L), conn.call());
    CompletableFuture<TimeResponse> waiting = service.getNextUpdate(conn.call());

    TimeResponse restarted = service.requestTimeStream(new TimeRequest(5L, 0L), conn.call());

    assertThat(restarted.sequenceNum()).isZero();
    assertFailure(waiting, TimeErrors.STREAM_TERMINATED, "replaced by a new");
    assertThat(service.activeStreams()).isEqualTo(1);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void disconnectDropsTheStreamItsTimersAndItsWaitingCalls() {
    service.requestTimeStream(new TimeRequest(1L, 60L), conn.call());
    CompletableFuture<TimeResponse> waiting = service.getNextUpdate(conn.call());
    assertThat(clock.pendingTasks()).isEqualTo(1);

    conn.close();

    assertFailure(waiting, TimeErrors.STREAM_TERMINATED, "the connection closed");
    assertThat(service.activeStreams()).isZero();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(conn.attributes()).isZero();
  }

  @Test
  void streamRequestedOnAConnectionThatAlreadyClosedIsDroppedAtOnce() {
    conn.close();

    service.requestTimeStream(new TimeRequest(1L, 60L), conn.call());

    assertThat(service.activeStreams()).isZero();
  }

  @Test
  void cancelledCallGivesItsUpdateToTheNextCall() {
    service.requestTimeStream(new TimeRequest(1L, 0L), conn.call());
    FakeConnection.Call call = conn.call();
    CompletableFuture<TimeResponse> cancelled = service.getNextUpdate(call);

    call.cancel();
    CompletableFuture<TimeResponse> next = service.getNextUpdate(conn.call());
    clock.advance(INTERVAL);

    assertThat(cancelled).isCompletedExceptionally();
    assertThat(cancelled.handle((r, t) -> t)).isCompletedWithValueMatching(
        t -> t instanceof CancelledException);
    assertThat(next.join().sequenceNum()).isEqualTo(1);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void closingTheServiceStopsEveryStream() {
    FakeConnection other = new FakeConnection();
    service.requestTimeStream(new TimeRequest(1L, 0L), conn.call());
    service.requestTimeStream(new TimeRequest(1L, 0L), other.call());
    CompletableFuture<TimeResponse> waiting = service.getNextUpdate(other.call());

    service.close();

    assertThat(service.activeStreams()).isZero();
    assertFailure(waiting, TimeErrors.STREAM_TERMINATED, "shutting down");
    assertThat(clock.pendingTasks()).isZero();
  }

  private static void assertFailure(CompletableFuture<?> f, int code, String messagePart) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = f.handle((r, e) -> e).join();
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).isInstanceOfSatisfying(ApplicationException.class,
        e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(messagePart);
  }
}

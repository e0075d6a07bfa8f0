package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same service over {@code keel/1} with the Keel client: the seed's codes arrive typed, and a
 * client's connection holds its stream like a Go client's does.
 */
class TimeServiceKeel1Test {
  private final FakeClock clock = new FakeClock();
  private final TimeService service = new TimeService(clock, clock, new VirtualWallClock(clock));
  private KeelServer server;
  private KeelClient client;

  @BeforeEach
  void start() {
    server = service.registerOn(KeelServer.builder().port(0).ioThreads(1).workerThreads(2))
        .start();
    client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void getNextUpdateWithoutAStreamIsApplicationError1003() {
    assertThatThrownBy(() -> client.call(TimeService.GET_NEXT_UPDATE, new NextUpdateRequest()))
        .isInstanceOfSatisfying(ApplicationException.class,
            e -> assertThat(e.code()).isEqualTo(TimeErrors.STREAM_NOT_INITIALIZED));
  }

  @Test
  void invalidDurationIsApplicationError1002() {
    assertThatThrownBy(() -> client.call(TimeService.REQUEST_TIME_STREAM,
        new TimeRequest(1L, -5L)))
        .isInstanceOfSatisfying(ApplicationException.class,
            e -> assertThat(e.code()).isEqualTo(TimeErrors.INVALID_PARAMETERS));
  }

  @Test
  void keelClientFollowsTheStreamOnItsConnection() {
    TimeResponse first = client.call(TimeService.REQUEST_TIME_STREAM, new TimeRequest(2L, 4L));
    CompletableFuture<TimeResponse> second =
        client.callAsync(TimeService.GET_NEXT_UPDATE, new NextUpdateRequest());
    await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == 1);
    clock.advance(Duration.ofSeconds(2));
    CompletableFuture<TimeResponse> third =
        client.callAsync(TimeService.GET_NEXT_UPDATE, new NextUpdateRequest());
    await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == 1);
    clock.advance(Duration.ofSeconds(2));

    assertThat(first.sequenceNum()).isZero();
    assertThat(second.join().sequenceNum()).isEqualTo(1);
    assertThat(third.join().sequenceNum()).isEqualTo(2);
    assertThat(third.join().finalUpdate()).isTrue();
    assertThat(service.activeStreams()).isZero();
  }

  @Test
  void closingTheClientEndsItsStream() {
    client.call(TimeService.REQUEST_TIME_STREAM, new TimeRequest(1L, 0L));
    assertThat(service.activeStreams()).isEqualTo(1);

    client.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> service.activeStreams() == 0);
  }
}

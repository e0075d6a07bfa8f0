package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.examples.counter.InMemoryCounterService;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The time service as a Go {@code net/rpc/jsonrpc} client sees it, over a real socket with the
 * updates paced on virtual time: the seed's struct member names, the stream to {@code IsFinal},
 * errors as strings, and cleanup when the client goes away.
 */
class TimeServiceGoWireTest {
  private final FakeClock clock = new FakeClock();
  private final TimeService service = new TimeService(clock, clock, new VirtualWallClock(clock));
  private KeelServer server;
  private GoLines go;

  @BeforeEach
  void start() throws IOException {
    // as time-server serves them: the time service and the counter on one port
    server = new InMemoryCounterService().registerOn(
        service.registerOn(KeelServer.builder().port(0).ioThreads(1).workerThreads(2))).start();
    go = GoLines.connect(server.port());
  }

  @AfterEach
  void stop() throws IOException {
    go.close();
    server.close();
  }

  @Test
  void firstUpdateHasTheSeedsGoMemberNames() throws IOException {
    go.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":1,\"Duration\":2}");

    assertThat(go.readLine()).isEqualTo("{\"id\":0,\"result\":{\"Timestamp\":1718000000,"
        + "\"TimeString\":\"2024-06-10 06:13:20.000000\",\"SequenceNum\":0,\"IsFinal\":false},"
        + "\"error\":null}");
  }

  @Test
  void clientFollowsTheStreamToIsFinalOneIntervalAtATime() throws IOException {
    go.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":1,\"Duration\":2}");
    go.read();

    for (int seq = 1; seq <= 2; seq++) {
      go.send(seq, "TimeService.GetNextUpdate", "{}");
      awaitTimers(1);
      clock.advance(Duration.ofSeconds(1));
      JsonNode update = go.read().get("result");

      assertThat(update.get("SequenceNum").asLong()).isEqualTo(seq);
      assertThat(update.get("Timestamp").asLong()).isEqualTo(1_718_000_000L + seq);
      assertThat(update.get("IsFinal").asBoolean()).isEqualTo(seq == 2);
    }
    go.send(3, "TimeService.GetNextUpdate", "{}");
    JsonNode after = go.read();

    assertThat(after.get("result").isNull()).isTrue();
    assertThat(after.get("error").asText()).startsWith("stream not initialized: ");
  }

  @Test
  void invalidIntervalIsTheSeedsMessageAsAGoErrorString() throws IOException {
    go.send(7, "TimeService.RequestTimeStream", "{\"UpdateInterval\":0,\"Duration\":5}");

    assertThat(go.readLine()).isEqualTo("{\"id\":7,\"result\":null,\"error\":\"invalid request "
        + "parameters: UpdateInterval: 0 (expected: 1..86400 seconds)\"}");
  }

  @Test
  void nilArgsForGetNextUpdateAreAccepted() throws IOException {
    go.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":1,\"Duration\":0}");
    go.read();
    clock.advance(Duration.ofSeconds(1));

    go.send(1, "TimeService.GetNextUpdate", "null");

    assertThat(go.read().get("result").get("SequenceNum").asLong()).isEqualTo(1);
  }

  @Test
  void disconnectingClientLeavesNoStreamAndNoTimer() throws IOException {
    go.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":5,\"Duration\":60}");
    go.read();
    go.send(1, "TimeService.GetNextUpdate", "{}");
    awaitTimers(1);
    assertThat(service.activeStreams()).isEqualTo(1);

    go.close();

    await().atMost(Duration.ofSeconds(5))
        .until(() -> service.activeStreams() == 0 && clock.pendingTasks() == 0);
  }

  @Test
  void twoGoConnectionsHaveTheirOwnStreams() throws IOException {
    try (GoLines other = GoLines.connect(server.port())) {
      go.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":1,\"Duration\":0}");
      go.read();
      clock.advance(Duration.ofSeconds(3));
      other.send(0, "TimeService.RequestTimeStream", "{\"UpdateInterval\":1,\"Duration\":0}");
      other.read();

      go.send(1, "TimeService.GetNextUpdate", "{}");
      other.send(1, "TimeService.GetNextUpdate", "{}");
      JsonNode mine = go.read().get("result");
      awaitTimers(1);
      clock.advance(Duration.ofSeconds(1));
      JsonNode theirs = other.read().get("result");

      assertThat(mine.get("SequenceNum").asLong()).isEqualTo(1);
      assertThat(mine.get("Timestamp").asLong()).isEqualTo(1_718_000_003L);
      assertThat(theirs.get("SequenceNum").asLong()).isEqualTo(1);
      assertThat(theirs.get("Timestamp").asLong()).isEqualTo(1_718_000_004L);
      assertThat(service.activeStreams()).isEqualTo(2);
    }
  }

  @Test
  void counterIsReachableUnderItsGoNamesAndItsKeelNames() throws IOException {
    go.send(0, "Counter.Inc", "{\"key\":\"g\",\"delta\":2}");
    go.read();
    go.send(1, "inc", "{\"key\":\"g\",\"delta\":1}");
    go.read();

    go.send(2, "Counter.Get", "{\"key\":\"g\"}");

    assertThat(go.readLine()).isEqualTo("{\"id\":2,\"result\":{\"key\":\"g\",\"value\":3},"
        + "\"error\":null}");
  }

  /** Waits until the server has scheduled {@code n} update timers (the call reached it). */
  private void awaitTimers(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> clock.pendingTasks() == n);
  }
}

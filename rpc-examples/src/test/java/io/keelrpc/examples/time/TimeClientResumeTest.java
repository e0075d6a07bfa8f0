package io.keelrpc.examples.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.time.Ticker;
import io.keelrpc.server.KeelServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeClientResumeTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  private KeelServer serve(int port) {
    TimeService time = new TimeService(Ticker.system(), TimeServerCommand.scheduler(timers),
        Clock.systemUTC());
    // A close that does not wait for streams to finish: the clients' connections just drop.
    return time.registerOn(KeelServer.builder().port(port)
        .shutdownGracePeriod(Duration.ofMillis(1))).start();
  }

  private static List<Long> sequences(List<TimeResponse> updates) {
    return updates.stream().map(TimeResponse::sequenceNum).toList();
  }

  @Test
  void theNativeStreamDeliversEveryUpdateToTheFinalOne() throws Exception {
    try (KeelServer server = serve(0);
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      List<TimeResponse> seen = new CopyOnWriteArrayList<>();

      TimeResponse last = TimeClientCommand.follow(client, 1, 1, seen::add)
          .get(20, TimeUnit.SECONDS);

      assertThat(last.finalUpdate()).isTrue();
      assertThat(sequences(seen)).containsExactly(0L, 1L);
    }
  }

  @Test
  void aServerRestartMidStreamIsResumedWithEveryUpdateOnceAndInOrder() throws Exception {
    KeelServer first = serve(0);
    int port = first.port();
    List<TimeResponse> seen = new CopyOnWriteArrayList<>();
    try (KeelClient client = KeelClient.builder().endpoint("127.0.0.1", port).build()) {
      CompletableFuture<TimeResponse> last = TimeClientCommand.follow(client, 1, 3, seen::add);
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 2);

      first.close(); // the connection drops mid-stream
      assertThat(sequences(seen)).as("the restart cut the stream before its end")
          .doesNotContain(3L);
      try (KeelServer second = serve(port)) {
        TimeResponse fin = last.get(30, TimeUnit.SECONDS);

        assertThat(fin.finalUpdate()).isTrue();
        assertThat(sequences(seen)).containsExactly(0L, 1L, 2L, 3L);
      }
    }
  }
}

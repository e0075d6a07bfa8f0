package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code firstFrameTimeout} and {@code frameReadTimeout}: clients that send nothing, or trickle
 * a frame byte by byte, are cut off while well-behaved clients are served. Real sockets; the
 * trickle is scheduled, one byte per 100 ms (the timeouts are scaled down from seconds).
 */
class KeelServerSlowlorisTest extends LimitsTestSupport {
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTrickling() {
    trickler.shutdownNow();
  }

  /** Writes {@code bytes} to {@code c} one per 100 ms; counts bytes written until one fails. */
  private AtomicInteger trickle(FrameClient c, byte[] bytes) {
    AtomicInteger written = new AtomicInteger();
    trickler.scheduleAtFixedRate(() -> {
      int i = written.get();
      if (i >= bytes.length) {
        return;
      }
      try {
        c.sendRaw(new byte[] {bytes[i]});
        written.incrementAndGet();
      } catch (IOException e) {
        throw new IllegalStateException("closed", e); // stops this task
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    return written;
  }

  private static byte[] frame(String json) {
    return FrameClient.frame(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tricklingClientIsCutOffWhileOthersAreServed() throws Exception {
    KeelServer server = start(limitsBuilder().frameReadTimeout(Duration.ofMillis(500)));
    FrameClient slow = connect(server);
    assertServed(slow, "s"); // a first frame in good time: only the frame timeout applies
    byte[] request = frame(request("slow", "inc", "{\"key\":\"slow\"}"));
    FrameClient good = connect(server);

    AtomicInteger written = trickle(slow, request);
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertServed(good, "g"));
    assertThat(closedByServer(slow)).isTrue();

    assertThat(written.get()).isLessThan(request.length);
    assertThat(counters.value("slow")).isZero();
    assertServed(good, "g");
    assertServed(connect(server), "g");
  }

  @Test
  void frameSplitAcrossWritesWithinTheTimeoutIsServed() throws Exception {
    KeelServer server = start(limitsBuilder().frameReadTimeout(Duration.ofSeconds(2)));
    FrameClient c = connect(server);
    byte[] first = frame(request("one", "inc", "{\"key\":\"k\"}"));
    byte[] second = frame(request("two", "inc", "{\"key\":\"k\"}"));
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    int cut = first.length + 6; // one whole frame and the start of the next in one write

    c.sendRaw(Arrays.copyOfRange(both, 0, cut));
    assertResult(c.read());
    trickler.schedule(() -> {
      c.sendRaw(Arrays.copyOfRange(both, cut, both.length));
      return null;
    }, 300, TimeUnit.MILLISECONDS);

    assertThat(c.read().path("id").asText()).isEqualTo("two");
    assertThat(counters.value("k")).isEqualTo(2);
  }

  @Test
  void connectionThatSendsNothingIsClosedAfterTheFirstFrameTimeout() throws Exception {
    KeelServer server = start(limitsBuilder().firstFrameTimeout(Duration.ofMillis(300)));
    FrameClient silent = connect(server);
    FrameClient good = connect(server);
    assertServed(good, "g");

    assertThat(closedByServer(silent)).isTrue();
    assertServed(good, "g");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
  }

  @Test
  void connectionStuckInsideItsFirstFrameIsClosedAfterTheFirstFrameTimeout() throws Exception {
    KeelServer server = start(limitsBuilder().firstFrameTimeout(Duration.ofMillis(300)));
    FrameClient partial = connect(server);
    partial.sendRaw(new byte[] {0, 0, 0, 40, '{'});

    assertThat(closedByServer(partial)).isTrue();
    assertServed(connect(server), "g");
  }

  @Test
  void goClientTricklingALineIsCutOff() throws Exception {
    KeelServer server = start(limitsBuilder().frameReadTimeout(Duration.ofMillis(500)));
    FrameClient go = connect(server);
    byte[] line = "{\"method\":\"inc\",\"params\":[{\"key\":\"go\"}],\"id\":0}\n"
        .getBytes(StandardCharsets.UTF_8);

    AtomicInteger written = trickle(go, line);

    assertThat(closedByServer(go)).isTrue();
    assertThat(written.get()).isLessThan(line.length);
    assertThat(counters.value("go")).isZero();
    assertServed(connect(server), "g");
  }

  @Test
  void connectionThatSentAFrameIsNotClosedByTheFirstFrameTimeout() throws Exception {
    KeelServer server = start(limitsBuilder().firstFrameTimeout(Duration.ofMillis(200)));
    FrameClient c = connect(server);
    assertServed(c, "a");

    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
        .until(() -> server.openConnections() == 1);
    assertServed(c, "a");
  }
}

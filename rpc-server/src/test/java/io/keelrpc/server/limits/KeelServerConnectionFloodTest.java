package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10 000 connect/close cycles, in batches of {@value #BATCH} open at once, leave no open
 * connection on the server and no extra thread; the server still serves afterwards. On a 2-core
 * machine the flood takes about 4 s alone and up to 10 s while other builds share the machine.
 */
class KeelServerConnectionFloodTest extends LimitsTestSupport {
  static final int CYCLES = 10_000;
  static final int BATCH = 200;

  private static long keelThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("keel-")).count();
  }

  @Test
  void tenThousandConnectCloseCyclesLeakNoChannelsOrThreads() throws Exception {
    KeelServer server = start(limitsBuilder().ioThreads(2));
    // warm up: every I/O thread of the server has started
    for (int i = 0; i < 4; i++) {
      try (FrameClient c = FrameClient.connect(server.port())) {
        assertServed(c, "warm");
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    long threadsBefore = keelThreads();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());

    for (int done = 0; done < CYCLES; done += BATCH) {
      List<Socket> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        Socket s = new Socket();
        s.connect(address, FrameClient.READ_TIMEOUT_MS);
        batch.add(s);
      }
      for (Socket s : batch) {
        s.close();
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
    assertThat(keelThreads()).isLessThanOrEqualTo(threadsBefore);
    try (FrameClient c = FrameClient.connect(server.port())) {
      assertServed(c, "after");
    }
  }
}

package io.keelrpc.client.stream;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the client's stream tests over loopback: starts servers and clients, and closes every
 * client, then every server (without a grace period, so streams still running are cancelled),
 * after each test.
 */
abstract class StreamTestSupport {
  /** Params of {@link #TICKS}: how many items, 0 for no end. */
  record Count(long n) {}

  /** Server stream: the items 0, 1, 2, ... */
  static final MethodDescriptor<Count, Long> TICKS =
      MethodDescriptor.of("ticks", Count.class, Long.class);
  /** Client stream: the sum of the items. */
  static final MethodDescriptor<Long, Long> SUM =
      MethodDescriptor.of("sum", Long.class, Long.class);
  /** Bidirectional: each item back in upper case. */
  static final MethodDescriptor<String, String> UPPER =
      MethodDescriptor.of("upper", String.class, String.class);
  /** An ordinary method: echoes its number. */
  static final MethodDescriptor<Count, Long> ECHO =
      MethodDescriptor.of("echo", Count.class, Long.class);

  /** Longest a handler or helper waits for a latch before giving up. */
  static final Duration MAX_WAIT = Duration.ofSeconds(20);

  private final List<KeelClient> clients = new ArrayList<>();
  private final List<KeelServer> servers = new ArrayList<>();

  /** A server builder on an ephemeral loopback port, closed without a grace period. */
  static KeelServer.Builder serverBuilder() {
    return KeelServer.builder().port(0).ioThreads(1).workerThreads(4)
        .shutdownGracePeriod(Duration.ZERO);
  }

  /** Starts {@code b}; closed after the test. */
  KeelServer start(KeelServer.Builder b) {
    KeelServer s = b.start();
    servers.add(s);
    return s;
  }

  /** A client builder for {@code server} that does not retry. */
  static KeelClient.Builder clientBuilder(KeelServer server) {
    return KeelClient.builder().endpoint("127.0.0.1", server.port())
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build());
  }

  /** A client builder on virtual time: {@code clock} is its ticker and scheduler. */
  static KeelClient.Builder clientBuilder(KeelServer server, FakeClock clock) {
    return clientBuilder(server).ticker(clock).scheduler(clock);
  }

  /** Builds {@code b}; closed after the test. */
  KeelClient client(KeelClient.Builder b) {
    KeelClient c = b.build();
    clients.add(c);
    return c;
  }

  /** A client of {@code server} on real time. */
  KeelClient client(KeelServer server) {
    return client(clientBuilder(server));
  }

  @AfterEach
  void closeEverything() {
    clients.forEach(KeelClient::close);
    servers.forEach(KeelServer::close);
  }

  /** Blocks until {@code latch} opens; a handler gives up after {@link #MAX_WAIT}. */
  static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("latch never opened");
    }
  }
}

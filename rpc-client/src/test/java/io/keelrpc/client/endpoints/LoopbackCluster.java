package io.keelrpc.client.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real {@link KeelServer}s on loopback, each counting the calls it ran, that a test can kill and
 * restart on the same port; and a load of blocking callers that records every failure.
 */
final class LoopbackCluster implements AutoCloseable {
  record Inc(String key, long delta) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);

  private final KeelServer[] servers;
  private final int[] ports;
  final AtomicInteger[] handled;

  LoopbackCluster(int size) {
    servers = new KeelServer[size];
    ports = new int[size];
    handled = new AtomicInteger[size];
    for (int i = 0; i < size; i++) {
      handled[i] = new AtomicInteger();
      servers[i] = start(i, 0);
      ports[i] = servers[i].port();
    }
  }

  private KeelServer start(int i, int port) {
    AtomicInteger count = handled[i];
    return KeelServer.builder()
        .port(port)
        .shutdownGracePeriod(Duration.ZERO)
        .handle(INC, (p, ctx) -> new Counter(p.key(), count.incrementAndGet()))
        .start();
  }

  List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (int port : ports) {
      out.add(new InetSocketAddress("127.0.0.1", port));
    }
    return out;
  }

  /** Closes server {@code i}: its listener and every connection to it. */
  void kill(int i) {
    servers[i].close();
  }

  /** Starts server {@code i} again on the port it had. */
  void restart(int i) {
    servers[i] = start(i, ports[i]);
    assertThat(servers[i].port()).isEqualTo(ports[i]);
  }

  @Override
  public void close() {
    for (KeelServer s : servers) {
      s.close();
    }
  }

  /** Callers that each make one idempotent call after another until stopped. */
  static final class Load implements AutoCloseable {
    private final ExecutorService threads;
    private final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong succeeded = new AtomicLong();
    final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    Load(KeelClient client, int callers, CallOptions options) {
      threads = Executors.newFixedThreadPool(callers);
      for (int c = 0; c < callers; c++) {
        String key = "k" + c;
        threads.execute(() -> {
          while (!stop.get()) {
            try {
              client.call(INC, new Inc(key, 1), options);
              succeeded.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        });
      }
    }

    /** Stops the callers and waits for their last calls. */
    @Override
    public void close() {
      stop.set(true);
      threads.shutdown();
      try {
        assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).as("callers stopped").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

package io.keelrpc.client.listener;

import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.policy.CallEvent;
import io.keelrpc.core.policy.ClientErrorEvent;
import io.keelrpc.core.policy.RetriesExhaustedEvent;
import io.keelrpc.core.policy.RetryEvent;
import io.keelrpc.core.policy.ServerErrorEvent;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.FakeClock;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;

/** Methods, servers, clients and a compact view of events for the listener tests. */
final class ListenerFixtures {
  record Inc(String key, long delta) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);

  private ListenerFixtures() {}

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** A server without deduplication, so that every attempt reaches the handler. */
  static KeelServer.Builder server() {
    return KeelServer.builder().shutdownGracePeriod(Duration.ZERO).idempotency(false);
  }

  /** Exponential backoff from 50 ms, doubling, without jitter. */
  static RetryPolicy noJitter(int maxAttempts) {
    return RetryPolicy.builder().maxAttempts(maxAttempts).initialBackoff(ms(50)).multiplier(2.0)
        .jitter(Jitter.none()).build();
  }

  /** A client of {@code port} on {@code clock}'s virtual time, retrying up to 3 attempts. */
  static KeelClient.Builder virtualTimeClient(int port, FakeClock clock) {
    return KeelClient.builder()
        .endpoint("127.0.0.1", port)
        .ticker(clock)
        .scheduler(clock)
        .random(() -> 0.5)
        .retryPolicy(noJitter(3));
  }

  /** Awaitility for outcomes that cross a socket. */
  static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2));
  }

  /** Waits until the only task on {@code clock} is a retry due in {@code wait}, then runs it. */
  static void awaitRetryThenRunIt(FakeClock clock, Duration wait) {
    eventually().until(() -> clock.pendingDelays().equals(List.of(wait)));
    clock.advance(wait);
  }

  /** A loopback port nothing listens on. */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code success#1}, {@code retry#2 50ms server_error}, {@code retries_exhausted#3 budget}. */
  static List<String> describe(List<CallEvent> events) {
    return events.stream().map(ListenerFixtures::describe).collect(Collectors.toList());
  }

  static String describe(CallEvent event) {
    String head = event.eventName() + "#" + event.attempt();
    if (event instanceof ClientErrorEvent e) {
      return head + " " + e.code();
    }
    if (event instanceof ServerErrorEvent e) {
      return head + " " + e.code();
    }
    if (event instanceof RetryEvent e) {
      return head + " " + e.waitTime().toMillis() + "ms " + e.reason().label();
    }
    if (event instanceof RetriesExhaustedEvent e) {
      return head + " " + e.reason().label();
    }
    return head;
  }
}

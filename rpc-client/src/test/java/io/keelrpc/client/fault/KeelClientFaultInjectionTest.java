package io.keelrpc.client.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.AttemptTimeoutException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.fault.FaultStats;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Keel client and server over loopback with the fault injector on either side: the client
 * retries what was lost, the server's cache keeps retries from running twice, and a seed replays.
 */
class KeelClientFaultInjectionTest {
  record Inc(String key, long delta) {}

  record Key(String key) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<Inc, Counter> INC =
      MethodDescriptor.of("inc", Inc.class, Counter.class);
  static final MethodDescriptor<Key, Counter> GET =
      MethodDescriptor.of("get", Key.class, Counter.class).asReadOnly();

  private static final CallOptions IDEMPOTENT = CallOptions.builder().idempotent(true).build();
  private static final CallOptions ONCE = CallOptions.builder()
      .retryPolicy(RetryPolicy.noRetries()).build();
  private static final FaultRule HALF_LOST_REQUESTS = FaultRule.builder().dropRequest(0.5).build();
  private static final FaultRule HALF_LOST_ANSWERS = FaultRule.builder().dropResponse(0.5).build();

  private final AtomicInteger runs = new AtomicInteger();
  private final Map<String, Long> values = new ConcurrentHashMap<>();
  /** The {@code meta.attempt} of every request that ran the {@code inc} handler. */
  private final List<Integer> ranAttempts = java.util.Collections.synchronizedList(
      new ArrayList<>());
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private KeelServer server(FaultInjector faults) {
    KeelServer.Builder b = KeelServer.builder().port(0).ioThreads(1).workerThreads(2)
        .shutdownGracePeriod(Duration.ZERO)
        .handle(INC, (p, ctx) -> {
          runs.incrementAndGet();
          ranAttempts.add(ctx.attempt());
          return new Counter(p.key(), values.merge(p.key(), p.delta(), Long::sum));
        })
        .handle(GET, (p, ctx) -> new Counter(p.key(), values.getOrDefault(p.key(), 0L)));
    if (faults != null) {
      b.faultInjector(faults);
    }
    KeelServer s = b.start();
    closeables.add(s);
    return s;
  }

  private KeelClient client(KeelServer server, String idPrefix, FaultInjector faults) {
    return client(server, idPrefix, faults, Duration.ofMillis(500));
  }

  private KeelClient client(KeelServer server, String idPrefix, FaultInjector faults,
      Duration perAttemptTimeout) {
    KeelClient.Builder b = KeelClient.builder()
        .endpoint("127.0.0.1", server.port())
        .idPrefix(idPrefix)
        .perAttemptTimeout(perAttemptTimeout)
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10))
            .jitter(Jitter.none()).build());
    if (faults != null) {
      b.faultInjector(faults);
    }
    KeelClient c = b.build();
    closeables.add(c);
    return c;
  }

  /**
   * An injector of {@code rule} on {@code inc} whose plans pass {@code test}: the first seed that
   * does, tried in order, so the same seed every run.
   */
  private static FaultInjector seededSoThat(FaultRule rule, Predicate<FaultInjector> test) {
    return LongStream.range(0, 10_000)
        .mapToObj(s -> FaultInjector.builder().seed(s).forMethod("inc", rule).build())
        .filter(test).findFirst().orElseThrow();
  }

  @Test
  void answerDroppedByTheServerIsRetriedAndAnsweredFromItsCache() {
    FaultInjector faults = seededSoThat(HALF_LOST_ANSWERS,
        f -> f.plan(Side.SERVER, "inc", "t-1", 1).dropResponse()
            && !f.plan(Side.SERVER, "inc", "t-1", 2).dropResponse());
    KeelClient client = client(server(faults), "t-", null);

    Counter c = client.call(INC, new Inc("a", 5), IDEMPOTENT);

    assertThat(c).isEqualTo(new Counter("a", 5));
    assertThat(runs).hasValue(1);
    assertThat(ranAttempts).containsExactly(1);
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 1, 0, 0, 0));
  }

  @Test
  void everyAnswerDroppedFailsTheCallAfterItsAttemptsButRunsTheHandlerOnce() {
    FaultInjector faults = FaultInjector.builder()
        .forMethod("inc", FaultRule.builder().dropResponse(1).build()).build();
    KeelClient client = client(server(faults), "t-", null, Duration.ofMillis(200));

    AttemptTimeoutException e = catchThrowableOfType(AttemptTimeoutException.class,
        () -> client.call(INC, new Inc("a", 5), IDEMPOTENT));

    assertThat(e).isNotNull();
    assertThat(runs).hasValue(1);
    assertThat(values).containsEntry("a", 5L);
    assertThat(faults.stats().responsesDropped()).isEqualTo(3);
  }

  @Test
  void requestDroppedByTheClientIsRetried() {
    FaultInjector faults = seededSoThat(HALF_LOST_REQUESTS,
        f -> f.plan(Side.CLIENT, "inc", "t-1", 1).dropRequest()
            && !f.plan(Side.CLIENT, "inc", "t-1", 2).dropRequest());
    KeelClient client = client(server(null), "t-", faults);

    Counter c = client.call(INC, new Inc("a", 2), IDEMPOTENT);

    assertThat(c).isEqualTo(new Counter("a", 2));
    assertThat(ranAttempts).as("attempt 1 never arrived").containsExactly(2);
    assertThat(faults.stats()).isEqualTo(new FaultStats(1, 0, 0, 0, 0));
  }

  @Test
  void answerDroppedByTheClientIsRetriedAndAnsweredFromTheServersCache() {
    FaultInjector faults = seededSoThat(HALF_LOST_ANSWERS,
        f -> f.plan(Side.CLIENT, "inc", "t-1", 1).dropResponse()
            && !f.plan(Side.CLIENT, "inc", "t-1", 2).dropResponse());
    KeelClient client = client(server(null), "t-", faults);

    Counter c = client.call(INC, new Inc("a", 3), IDEMPOTENT);

    assertThat(c).isEqualTo(new Counter("a", 3));
    assertThat(runs).hasValue(1);
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 1, 0, 0, 0));
  }

  @Test
  void duplicatedRequestRunsTheHandlerOnceAndTheSecondAnswerIsIgnored() {
    FaultInjector faults = FaultInjector.builder()
        .forMethod("inc", FaultRule.builder().duplicateRequest(1).build()).build();
    KeelClient client = client(server(null), "t-", faults);

    Counter first = client.call(INC, new Inc("a", 1));
    Counter second = client.call(INC, new Inc("a", 1));

    assertThat(first).isEqualTo(new Counter("a", 1));
    assertThat(second).isEqualTo(new Counter("a", 2));
    assertThat(runs).hasValue(2);
    assertThat(faults.stats().duplicated()).isEqualTo(2);
  }

  @Test
  void clientDisconnectFailsTheCallWithATransportExceptionAndTheClientReconnects() {
    FaultInjector faults = FaultInjector.builder()
        .forMethod("inc", FaultRule.builder().disconnect(1).build()).build();
    KeelClient client = client(server(null), "t-", faults);

    TransportException e = catchThrowableOfType(TransportException.class,
        () -> client.call(INC, new Inc("a", 1), ONCE));

    assertThat(e).isNotNull();
    assertThat(e.requestSent()).isTrue();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runs).hasValue(1));
    assertThat(client.call(GET, new Key("a"))).isEqualTo(new Counter("a", 1));
    assertThat(faults.stats().disconnects()).isEqualTo(1);
  }

  @Test
  void serverDisconnectFailsTheCallWithATransportExceptionAndTheClientReconnects() {
    FaultInjector faults = FaultInjector.builder()
        .forMethod("inc", FaultRule.builder().disconnect(1).build()).build();
    KeelClient client = client(server(faults), "t-", null);

    TransportException e = catchThrowableOfType(TransportException.class,
        () -> client.call(INC, new Inc("a", 1), ONCE));

    assertThat(e).isNotNull();
    assertThat(e.requestSent()).isTrue();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runs).hasValue(1));
    assertThat(client.call(GET, new Key("a"))).isEqualTo(new Counter("a", 1));
    assertThat(faults.stats().disconnects()).isEqualTo(1);
  }

  @Test
  void sameSeedAndIdPrefixReplayTheSameLostRequests() {
    FaultRule rule = FaultRule.builder().dropRequest(0.3).build();
    List<Integer> expected = new ArrayList<>();
    FaultInjector probe = FaultInjector.builder().seed(11).forMethod("inc", rule).build();
    for (int call = 1; call <= 10; call++) {
      int attempt = 1;
      while (attempt <= 3 && probe.plan(Side.CLIENT, "inc", "replay-" + call, attempt)
          .dropRequest()) {
        attempt++;
      }
      if (attempt <= 3) {
        expected.add(attempt);
      }
    }

    List<List<Integer>> runsOfAttempts = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ranAttempts.clear();
      FaultInjector faults = FaultInjector.builder().seed(11).forMethod("inc", rule).build();
      // a spurious timeout would only resend an attempt the server already ran: the attempt that
      // ran the handler is still the first one not dropped
      KeelClient client = client(server(null), "replay-", faults, Duration.ofMillis(150));
      for (int call = 1; call <= 10; call++) {
        client.callAsync(INC, new Inc("k" + run, 1), IDEMPOTENT).exceptionally(t -> null).join();
      }
      runsOfAttempts.add(new ArrayList<>(ranAttempts));
    }

    assertThat(runsOfAttempts.get(0)).isEqualTo(expected).isEqualTo(runsOfAttempts.get(1));
    assertThat(expected).as("the seed loses some requests").anyMatch(a -> a > 1);
  }
}

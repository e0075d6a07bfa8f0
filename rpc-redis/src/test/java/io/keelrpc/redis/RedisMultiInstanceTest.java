package io.keelrpc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.IdempotencyKeyReusedException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three KeelServer instances sharing one redis-server through {@link RedisIdempotencyStore}, one
 * KeelClient: a retry that lands on another instance is answered without running the call again,
 * and Redis going away fails keyed calls loudly while the servers stay healthy.
 */
class RedisMultiInstanceTest {
  record IncParams(String key) {}

  record Counter(String key, long value) {}

  static final MethodDescriptor<IncParams, Counter> INC =
      MethodDescriptor.of("inc", IncParams.class, Counter.class);
  static final MethodDescriptor<IncParams, Counter> PEEK =
      MethodDescriptor.of("peek", IncParams.class, Counter.class).asReadOnly();

  private static final int INSTANCES = 3;

  /** The state the instances share, as a database behind them would be. */
  private final ConcurrentHashMap<String, Long> values = new ConcurrentHashMap<>();
  private final AtomicIntegerArray runs = new AtomicIntegerArray(INSTANCES);
  private final AtomicIntegerArray incAnswers = new AtomicIntegerArray(INSTANCES);
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();
  private RedisServerProcess redis;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeFirst) {
      c.close();
    }
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private List<KeelServer> startInstances(FaultInjector faults) {
    List<KeelServer> servers = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      int instance = i;
      RedisIdempotencyStore store = RedisIdempotencyStore.builder().uri(redis.uri())
          .commandTimeout(Duration.ofSeconds(10)).build();
      closeLast.add(store);
      KeelServer.Builder b = KeelServer.builder().port(0).idempotencyStore(store)
          .handle(INC, (p, ctx) -> {
            runs.incrementAndGet(instance);
            return new Counter(p.key(), values.merge(p.key(), 1L, Long::sum));
          })
          .handle(PEEK, (p, ctx) -> new Counter(p.key(), values.getOrDefault(p.key(), 0L)))
          .listener(new ServerListener() {
            @Override
            public void onCallCompleted(String method, String code, long durationNanos) {
              if (method.equals("inc")) {
                incAnswers.incrementAndGet(instance);
              }
            }
          });
      if (faults != null) {
        b.faultInjector(faults);
      }
      KeelServer s = b.start();
      closeFirst.add(s);
      servers.add(s);
    }
    return servers;
  }

  private KeelClient client(List<KeelServer> servers, String idPrefix) {
    List<InetSocketAddress> endpoints = servers.stream()
        .map(s -> InetSocketAddress.createUnresolved("127.0.0.1", s.port())).toList();
    KeelClient c = KeelClient.builder().endpoints(endpoints).idPrefix(idPrefix).build();
    closeFirst.add(0, c);
    return c;
  }

  private static int total(AtomicIntegerArray a) {
    return IntStream.range(0, a.length()).map(a::get).sum();
  }

  @Test
  void retryLandingOnAnotherInstanceIsAnsweredWithoutRunningAgain() {
    redis = RedisServerProcess.start();
    // A seed whose server-side faults drop the answer of attempt 1 of call "multi-1" and of no
    // later attempt (decisions are a pure function of seed, method, id and attempt).
    FaultRule half = FaultRule.builder().dropResponse(0.5).build();
    long seed = LongStream.range(0, 10_000).filter(s -> {
      FaultInjector f = FaultInjector.builder().seed(s).forMethod("inc", half).build();
      return f.plan(Side.SERVER, "inc", "multi-1", 1).dropResponse()
          && IntStream.rangeClosed(2, 6)
              .noneMatch(a -> f.plan(Side.SERVER, "inc", "multi-1", a).dropResponse());
    }).findFirst().orElseThrow();
    FaultInjector faults = FaultInjector.builder().seed(seed).forMethod("inc", half).build();
    KeelClient client = client(startInstances(faults), "multi-");

    Counter c = client.call(INC, new IncParams("a"), CallOptions.builder().idempotent(true)
        .perAttemptTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(60)).build());

    assertThat(c.value()).isEqualTo(1);
    assertThat(faults.stats().responsesDropped()).isEqualTo(1);
    assertThat(total(runs)).as("the handler ran once over all instances").isEqualTo(1);
    long instancesAnswering = IntStream.range(0, INSTANCES).filter(i -> incAnswers.get(i) > 0)
        .count();
    assertThat(instancesAnswering).as("the retry went to another instance").isGreaterThan(1);
    assertThat(values.get("a")).isEqualTo(1);
  }

  @Test
  void keyReusedWithOtherParamsOnAnotherInstanceIsRefused() {
    redis = RedisServerProcess.start();
    List<KeelServer> servers = startInstances(null);
    KeelClient first = client(servers.subList(0, 1), "reuse-a-");
    KeelClient second = client(servers.subList(1, 2), "reuse-b-");
    CallOptions key = CallOptions.builder().idempotencyKey("order-17").build();

    assertThat(first.call(INC, new IncParams("x"), key).value()).isEqualTo(1);
    assertThat(second.call(INC, new IncParams("x"), key).value())
        .as("same params on another instance: the recorded answer").isEqualTo(1);
    assertThatThrownBy(() -> second.call(INC, new IncParams("y"), key))
        .isInstanceOf(IdempotencyKeyReusedException.class);
    assertThat(total(runs)).isEqualTo(1);
  }

  @Test
  void redisDownFailsKeyedCallsLoudlyAndTheServersStayHealthy() {
    redis = RedisServerProcess.start();
    int port = redis.port();
    KeelClient client = client(startInstances(null), "down-");
    CallOptions once = CallOptions.builder().retryPolicy(RetryPolicy.noRetries()).build();
    assertThat(client.call(INC, new IncParams("k"), once).value()).isEqualTo(1);

    redis.close();
    assertThatThrownBy(() -> client.call(INC, new IncParams("k"), once))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("idempotency store unavailable")
        .hasMessageContaining("did not run");
    assertThat(client.call(PEEK, new IncParams("k"), once).value())
        .as("calls without a key are served").isEqualTo(1);
    assertThat(total(runs)).isEqualTo(1);

    redis = RedisServerProcess.startOn(port);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> client.call(INC, new IncParams("k"), once).value() == 2);
    assertThat(total(runs)).isEqualTo(2);
  }
}

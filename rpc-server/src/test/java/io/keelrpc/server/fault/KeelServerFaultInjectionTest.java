package io.keelrpc.server.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.fault.Delay;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultInjector.Side;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.fault.FaultStats;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A server with a fault injector, over loopback sockets: each fault acts where it should, and the
 * server's own guarantees (deduplication, in-flight accounting) hold under it.
 */
class KeelServerFaultInjectionTest extends ServerTestSupport {
  private final CounterService counters = new CounterService();

  private KeelServer serverWith(FaultInjector faults) {
    return start(counters.registerOn(builder()).faultInjector(faults));
  }

  private static FaultInjector incOnly(FaultRule rule) {
    return FaultInjector.builder().forMethod("inc", rule).build();
  }

  private static String inc(String id, int attempt) {
    return request(id, "inc", "{\"key\":\"a\",\"delta\":1}", "{\"attempt\":" + attempt + "}");
  }

  private static String get(String id) {
    return request(id, "get", "{\"key\":\"a\"}");
  }

  @Test
  void droppedAnswerStillRunsTheHandler() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder().dropResponse(1).build());
    FrameClient conn = connect(serverWith(faults));

    conn.send(inc("i-1", 1));
    JsonNode answer = conn.call(get("g-1"));

    assertThat(answer.path("id").asText()).as("the inc answer never came").isEqualTo("g-1");
    await().untilAsserted(() -> assertThat(counters.incRuns()).isEqualTo(1));
    assertThat(counters.value("a")).isEqualTo(1);
    assertThat(faults.stats()).isEqualTo(new FaultStats(0, 1, 0, 0, 0));
  }

  @Test
  void retryOfADroppedAnswerIsAnsweredFromTheCacheWithoutRunningAgain() throws Exception {
    FaultRule half = FaultRule.builder().dropResponse(0.5).build();
    long seed = LongStream.range(0, 10_000).filter(s -> {
      FaultInjector f = FaultInjector.builder().seed(s).forMethod("inc", half).build();
      return f.plan(Side.SERVER, "inc", "call-1", 1).dropResponse()
          && !f.plan(Side.SERVER, "inc", "call-1", 2).dropResponse();
    }).findFirst().orElseThrow();
    FaultInjector faults = FaultInjector.builder().seed(seed).forMethod("inc", half).build();
    FrameClient conn = connect(serverWith(faults));

    conn.send(inc("call-1", 1));
    await().untilAsserted(() -> assertThat(faults.stats().responsesDropped()).isEqualTo(1));
    JsonNode answer = conn.call(inc("call-1", 2));

    assertThat(answer.path("id").asText()).isEqualTo("call-1");
    assertThat(assertResult(answer).path("value").asLong()).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void droppedRequestsNeverRunAndHoldNoInFlightSlot() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder().dropRequest(1).build());
    KeelServer server = start(counters.registerOn(builder()).maxInFlightPerConnection(1)
        .faultInjector(faults));
    FrameClient conn = connect(server);

    conn.sendPipelined(inc("i-1", 1), inc("i-2", 1), inc("i-3", 1));
    JsonNode answer = conn.call(get("g-1"));

    assertThat(answer.path("id").asText()).isEqualTo("g-1");
    assertThat(counters.incRuns()).isZero();
    assertThat(faults.stats()).isEqualTo(new FaultStats(3, 0, 0, 0, 0));
  }

  @Test
  void duplicatedRequestRunsTheHandlerOnceAndIsAnsweredTwice() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder().duplicateRequest(1).build());
    FrameClient conn = connect(serverWith(faults));

    JsonNode first = conn.call(inc("i-1", 1));
    JsonNode second = conn.read();

    assertThat(first).isEqualTo(second);
    assertThat(assertResult(first).path("value").asLong()).isEqualTo(1);
    assertThat(counters.incRuns()).isEqualTo(1);
    assertThat(faults.stats().duplicated()).isEqualTo(1);
  }

  @Test
  void disconnectRunsTheHandlerButClosesBeforeAnswering() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder().disconnect(1).build());
    KeelServer server = serverWith(faults);
    FrameClient conn = connect(server);

    conn.send(inc("i-1", 1));

    assertThat(conn.closedByPeer()).isTrue();
    await().untilAsserted(() -> assertThat(counters.incRuns()).isEqualTo(1));
    assertThat(faults.stats().disconnects()).isEqualTo(1);
    assertThat(connect(server).call(get("g-1")).path("result").path("value").asLong())
        .isEqualTo(1);
  }

  @Test
  void delayedAnswerIsOvertakenByAnUndelayedOne() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder()
        .delay(1, Delay.fixed(Duration.ofMillis(200))).build());
    FrameClient conn = connect(serverWith(faults));

    conn.sendPipelined(inc("i-1", 1), get("g-1"));

    assertThat(conn.read().path("id").asText()).isEqualTo("g-1");
    assertThat(conn.read().path("id").asText()).isEqualTo("i-1");
    assertThat(faults.stats().delayed()).isEqualTo(1);
  }

  @Test
  void methodsWithoutARuleAreUntouched() throws Exception {
    FaultInjector faults = incOnly(FaultRule.builder().dropRequest(1).dropResponse(1).build());
    FrameClient conn = connect(serverWith(faults));

    JsonNode answer = conn.call(get("g-1"));

    assertThat(assertResult(answer).path("value").asLong()).isZero();
    assertThat(faults.stats()).isEqualTo(FaultStats.ZERO);
  }

  @Test
  void nullInjectorIsRefused() {
    assertThatNullPointerException().isThrownBy(() -> KeelServer.builder().faultInjector(null))
        .withMessage("injector");
  }
}

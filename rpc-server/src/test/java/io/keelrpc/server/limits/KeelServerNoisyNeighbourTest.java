package io.keelrpc.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService.Counter;
import io.keelrpc.server.CounterService.IncParams;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import org.junit.jupiter.api.Test;

/**
 * {@code maxInFlightPerConnection} and {@code maxFrameBytes}: the client that hits the limit
 * alone feels it; other connections are served meanwhile.
 */
class KeelServerNoisyNeighbourTest extends LimitsTestSupport {
  static final MethodDescriptor<IncParams, Counter> SLOW_INC =
      MethodDescriptor.of("slowInc", IncParams.class, Counter.class);

  @Test
  void clientAtItsInFlightLimitDoesNotHoldUpOthers() throws Exception {
    Gate gate = gate();
    KeelServer server = start(limitsBuilder().maxInFlightPerConnection(2).workerThreads(4)
        .handle(SLOW_INC, (p, ctx) -> {
          gate.pass();
          return counters.inc(p);
        }));
    FrameClient greedy = connect(server);
    String[] burst = new String[50];
    for (int i = 0; i < burst.length; i++) {
      burst[i] = request("g-" + i, "slowInc", "{\"key\":\"greedy\"}");
    }
    greedy.sendPipelined(burst);
    gate.awaitEntered(2);

    FrameClient other = connect(server);
    for (int i = 0; i < 10; i++) {
      assertServed(other, "other");
    }

    assertThat(gate.entered()).isEqualTo(2); // the greedy client got no more than its limit
    assertThat(counters.value("other")).isEqualTo(10);
    gate.open();
    for (int i = 0; i < burst.length; i++) {
      assertResult(greedy.read());
    }
    assertThat(counters.value("greedy")).isEqualTo(burst.length);
  }

  @Test
  void oversizeFrameClosesOnlyItsOwnConnection() throws Exception {
    KeelServer server = start(limitsBuilder().maxFrameBytes(1024));
    FrameClient other = connect(server);
    assertServed(other, "other");
    FrameClient big = connect(server);

    big.sendLengthPrefix(1 << 20);
    JsonNode answer = big.read();

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(closedByServer(big)).isTrue();
    assertServed(other, "other");
    assertServed(connect(server), "new");
  }
}

package io.keelrpc.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerListener;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A listener that throws is logged and ignored: calls, connections and the cache go on. */
class ServerListenerIsolationTest extends ServerTestSupport {
  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** Records each callback's name, then throws. */
  private final ServerListener throwing = new ServerListener() {
    private void fail(String what) {
      seen.add(what);
      throw new IllegalStateException("listener bug on " + what);
    }

    @Override
    public void onStart(Gauges gauges) {
      fail("start");
    }

    @Override
    public void onCallCompleted(String method, String code, long durationNanos) {
      fail("completed " + method + " " + code);
    }

    @Override
    public void onIdempotency(IdempotencyResult result) {
      fail("idempotency " + result);
    }

    @Override
    public void onConnectionOpened(SocketAddress remote) {
      fail("opened");
    }
  };

  @Test
  void throwingListenerBreaksNothing() throws IOException {
    CounterService counters = new CounterService();
    KeelServer server = start(counters.registerOn(builder()).listener(throwing));
    FrameClient c = connect(server);

    assertResult(c.call(request("r1", "inc", "{\"key\":\"a\",\"delta\":2}")));
    assertResult(c.call(request("r1", "inc", "{\"key\":\"a\",\"delta\":2}")));
    assertError(c.call(request(newId(), "nope", "{}")), ErrorCode.METHOD_NOT_FOUND.code());

    assertThat(counters.value("a")).isEqualTo(2);
    assertThat(seen).containsExactly("start", "opened", "idempotency MISS", "completed inc OK",
        "idempotency HIT", "completed inc OK", "completed $unknown METHOD_NOT_FOUND");
  }

  @Test
  void listenerIsSetOnce() {
    KeelServer.Builder b = builder().listener(throwing);

    assertThatThrownBy(() -> b.listener(throwing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener: already set (expected: set once)");
  }
}

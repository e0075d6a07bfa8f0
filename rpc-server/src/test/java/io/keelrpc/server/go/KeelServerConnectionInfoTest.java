package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.ConnectionInfo;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.Gate;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link io.keelrpc.server.CallContext#connection()} on both protocols: identity, typed
 * attributes that live as long as the connection, and close listeners.
 */
class KeelServerConnectionInfoTest extends GoTestSupport {
  /** What a handler saw of its connection. */
  record Seen(long id, String protocol, int remotePort, long calls) {}

  static final ConnectionInfo.Key<AtomicLong> CALLS =
      ConnectionInfo.Key.of("calls", AtomicLong.class);
  static final MethodDescriptor<Void, Seen> WHO =
      MethodDescriptor.of("Conn.Who", Void.class, Seen.class);
  static final MethodDescriptor<Void, Boolean> WATCH =
      MethodDescriptor.of("Conn.Watch", Void.class, Boolean.class);
  static final MethodDescriptor<Void, Boolean> LATE =
      MethodDescriptor.of("Conn.Late", Void.class, Boolean.class);
  static final MethodDescriptor<Void, List<Boolean>> REPLACE =
      MethodDescriptor.of("Conn.Replace", Void.class, listOfBoolean());

  private final List<Long> closedIds = new CopyOnWriteArrayList<>();
  private final AtomicReference<ConnectionInfo> watched = new AtomicReference<>();
  private final AtomicInteger lateListenerRuns = new AtomicInteger();
  private KeelServer server;
  private Gate gate;

  @BeforeEach
  void startServer() {
    gate = gate();
    server = start(builder()
        .handle(WHO, (p, ctx) -> {
          ConnectionInfo c = ctx.connection().orElseThrow();
          long calls = c.computeIfAbsent(CALLS, AtomicLong::new).incrementAndGet();
          return new Seen(c.id(), c.protocol(),
              ((InetSocketAddress) c.remoteAddress()).getPort(), calls);
        })
        .handle(WATCH, (p, ctx) -> {
          ConnectionInfo c = ctx.connection().orElseThrow();
          c.computeIfAbsent(CALLS, AtomicLong::new);
          watched.set(c);
          c.onClose(() -> closedIds.add(c.id()));
          return c.isOpen();
        })
        .handle(LATE, (p, ctx) -> {
          ConnectionInfo c = ctx.connection().orElseThrow();
          watched.set(c);
          gate.pass();
          c.onClose(lateListenerRuns::incrementAndGet);
          return c.isOpen();
        })
        .handle(REPLACE, (p, ctx) -> {
          ConnectionInfo c = ctx.connection().orElseThrow();
          AtomicLong first = new AtomicLong(1);
          AtomicLong second = new AtomicLong(2);
          boolean wasEmpty = c.putAttr(CALLS, first).isEmpty();
          boolean replacedFirst = c.putAttr(CALLS, second).orElseThrow() == first;
          boolean removedStale = c.removeAttr(CALLS, first);
          boolean removedCurrent = c.removeAttr(CALLS, second);
          return List.of(wasEmpty, replacedFirst, removedStale, removedCurrent,
              c.attr(CALLS).isEmpty());
        }));
  }

  @SuppressWarnings("unchecked")
  private static Class<List<Boolean>> listOfBoolean() {
    return (Class<List<Boolean>>) (Class<?>) List.class;
  }

  @Test
  void keel1HandlerSeesItsConnectionAndProtocol() throws IOException {
    FrameClient c = connect(server);

    JsonNode first = assertResult(c.call(request(newId(), "Conn.Who", "null")));
    JsonNode second = assertResult(c.call(request(newId(), "Conn.Who", "null")));

    assertThat(first.get("protocol").asText()).isEqualTo(ConnectionInfo.KEEL_1);
    assertThat(second.get("id").asLong()).isEqualTo(first.get("id").asLong());
    assertThat(second.get("calls").asLong()).isEqualTo(2);
  }

  @Test
  void goHandlerSeesItsConnectionAndRemotePort() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode first = assertGoResult(c.call(GoLineClient.request(0, "Conn.Who", "null")));
    JsonNode second = assertGoResult(c.call(GoLineClient.request(1, "Conn.Who", "null")));

    assertThat(first.get("protocol").asText()).isEqualTo(ConnectionInfo.GO_JSONRPC);
    assertThat(first.get("remotePort").asInt()).isPositive();
    assertThat(second.get("id").asLong()).isEqualTo(first.get("id").asLong());
    assertThat(second.get("calls").asLong()).isEqualTo(2);
  }

  @Test
  void attributesAreKeptPerConnection() throws IOException {
    GoLineClient a = connectGo(server);
    GoLineClient b = connectGo(server);
    FrameClient k = connect(server);

    a.call(GoLineClient.request(0, "Conn.Who", "null"));
    a.call(GoLineClient.request(1, "Conn.Who", "null"));
    JsonNode onB = assertGoResult(b.call(GoLineClient.request(0, "Conn.Who", "null")));
    JsonNode onK = assertResult(k.call(request(newId(), "Conn.Who", "null")));
    JsonNode onA = assertGoResult(a.call(GoLineClient.request(2, "Conn.Who", "null")));

    assertThat(onA.get("calls").asLong()).isEqualTo(3);
    assertThat(onB.get("calls").asLong()).isEqualTo(1);
    assertThat(onK.get("calls").asLong()).isEqualTo(1);
    assertThat(List.of(onA.get("id").asLong(), onB.get("id").asLong(), onK.get("id").asLong()))
        .doesNotHaveDuplicates();
  }

  @Test
  void closeListenerRunsWhenAGoClientDisconnectsAndAttributesAreRemoved() throws IOException {
    GoLineClient c = connectGo(server);
    assertGoResult(c.call(GoLineClient.request(0, "Conn.Watch", "null")));
    ConnectionInfo conn = watched.get();

    c.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> closedIds.contains(conn.id()));
    assertThat(conn.isOpen()).isFalse();
    assertThat(conn.attr(CALLS)).isEmpty();
    assertThat(closedIds).containsExactly(conn.id());
  }

  @Test
  void closeListenerRunsWhenAKeel1ClientDisconnects() throws IOException {
    FrameClient c = connect(server);
    assertResult(c.call(request(newId(), "Conn.Watch", "null")));
    ConnectionInfo conn = watched.get();

    c.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> closedIds.contains(conn.id()));
  }

  @Test
  void listenerAddedAfterTheConnectionClosedRunsAtOnce() throws IOException {
    GoLineClient c = connectGo(server);
    c.send(GoLineClient.request(0, "Conn.Late", "null"));
    gate.awaitEntered(1);
    ConnectionInfo conn = watched.get();

    c.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !conn.isOpen());
    gate.open();

    await().atMost(Duration.ofSeconds(5)).until(() -> lateListenerRuns.get() == 1);
  }

  @Test
  void putAndRemoveCompareValuesByIdentity() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode result = assertGoResult(c.call(GoLineClient.request(0, "Conn.Replace", "null")));

    // wasEmpty, replaced the first, did not remove the stale one, removed the current one, empty
    assertThat(result.toString()).isEqualTo("[true,true,false,true,true]");
  }
}

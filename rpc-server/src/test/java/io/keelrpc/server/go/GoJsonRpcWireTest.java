package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.KeelServer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Go's {@code net/rpc/jsonrpc} conventions, byte for byte, over a raw socket: the request shape
 * Go's client writes, and answers shaped as Go's server writes them.
 */
class GoJsonRpcWireTest extends GoTestSupport {
  record Args(String name) {}

  static final MethodDescriptor<Args, String> HELLO =
      MethodDescriptor.of("Greeter.Hello", Args.class, String.class);
  static final MethodDescriptor<Args, Void> NOTHING =
      MethodDescriptor.of("Greeter.Nothing", Args.class, Void.class);
  static final MethodDescriptor<Args, String> REFUSE =
      MethodDescriptor.of("Greeter.Refuse", Args.class, String.class);
  static final MethodDescriptor<Void, String> PING =
      MethodDescriptor.of("Greeter.Ping", Void.class, String.class);

  private final CounterService counters = new CounterService();
  private final AtomicInteger nothingRuns = new AtomicInteger();
  private KeelServer server;

  @BeforeEach
  void startServer() {
    server = start(counters.registerOn(builder())
        .handle(HELLO, (p, ctx) -> "hello " + p.name())
        .handle(NOTHING, (p, ctx) -> {
          nothingRuns.incrementAndGet();
          return null;
        })
        .handle(REFUSE, (p, ctx) -> {
          throw new ApplicationException(1002, "name \"" + p.name() + "\" is not allowed");
        })
        .handle(PING, (p, ctx) -> "pong"));
  }

  @Test
  void successLineHasIdResultAndNullErrorInGoOrder() throws IOException {
    GoLineClient c = connectGo(server);

    String line = c.callRaw(GoLineClient.request(0, "inc", "{\"key\":\"a\",\"delta\":2}"));

    assertThat(line).isEqualTo("{\"id\":0,\"result\":{\"key\":\"a\",\"value\":2},\"error\":null}");
  }

  @Test
  void oneElementParamsArrayBindsItsElement() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call(GoLineClient.request(1, "Greeter.Hello", "{\"name\":\"gopher\"}"));

    assertThat(assertGoResult(answer).textValue()).isEqualTo("hello gopher");
  }

  @Test
  void applicationErrorIsItsMessageStringWithNullResult() throws IOException {
    GoLineClient c = connectGo(server);

    String line = c.callRaw(GoLineClient.request(2, "Greeter.Refuse", "{\"name\":\"x\"}"));

    assertThat(line).isEqualTo(
        "{\"id\":2,\"result\":null,\"error\":\"name \\\"x\\\" is not allowed\"}");
  }

  @Test
  void unknownMethodIsAnErrorStringNamingIt() throws IOException {
    GoLineClient c = connectGo(server);

    String error = assertGoError(c.call(GoLineClient.request(3, "Counter.Dec", "{}")));

    assertThat(error).contains("method not found").contains("Counter.Dec");
  }

  @Test
  void paramsThatDoNotBindAreAnErrorStringWithThePath() throws IOException {
    GoLineClient c = connectGo(server);

    String error = assertGoError(c.call(GoLineClient.request(4, "inc", "{\"delta\":\"two\"}")));

    assertThat(error).contains("params do not bind").contains("delta");
  }

  @Test
  void largestGoSequenceNumberIsEchoedExactly() throws IOException {
    GoLineClient c = connectGo(server);
    String maxUint64 = "18446744073709551615";

    String line = c.callRaw("{\"method\":\"Greeter.Hello\",\"params\":[{\"name\":\"n\"}],\"id\":"
        + maxUint64 + "}");

    assertThat(line).startsWith("{\"id\":" + maxUint64 + ",");
    assertThat(new ObjectMapper().readTree(line).get("id")
        .bigIntegerValue()).isEqualTo(new BigInteger(maxUint64));
  }

  @Test
  void stringIdIsEchoedAsAString() throws IOException {
    GoLineClient c = connectGo(server);

    String line = c.callRaw(
        "{\"method\":\"Greeter.Hello\",\"params\":[{\"name\":\"s\"}],\"id\":\"seven\"}");

    assertThat(line).startsWith("{\"id\":\"seven\",");
  }

  @Test
  void requestWithoutIdIsAnsweredWithNullIdAsGoServerDoes() throws IOException {
    GoLineClient c = connectGo(server);

    String line = c.callRaw("{\"method\":\"Greeter.Hello\",\"params\":[{\"name\":\"n\"}]}");

    assertThat(line).isEqualTo("{\"id\":null,\"result\":\"hello n\",\"error\":null}");
  }

  @Test
  void nullResultIsAnEmptyObjectBecauseGoDropsTheConnectionOnNullResultAndNullError()
      throws IOException {
    GoLineClient c = connectGo(server);

    String line = c.callRaw(GoLineClient.request(5, "Greeter.Nothing", "{\"name\":\"n\"}"));

    assertThat(line).isEqualTo("{\"id\":5,\"result\":{},\"error\":null}");
    assertThat(nothingRuns).hasValue(1);
  }

  @Test
  void nilArgsBindAsNoParams() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode withNull = c.call(GoLineClient.request(6, "Greeter.Ping", "null"));
    JsonNode withEmpty = c.call("{\"method\":\"Greeter.Ping\",\"params\":[],\"id\":7}");

    assertThat(assertGoResult(withNull).textValue()).isEqualTo("pong");
    assertThat(assertGoResult(withEmpty).textValue()).isEqualTo("pong");
  }

  @Test
  void objectParamsAreAcceptedToo() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode answer = c.call("{\"method\":\"Greeter.Hello\",\"params\":{\"name\":\"o\"},\"id\":8}");

    assertThat(assertGoResult(answer).textValue()).isEqualTo("hello o");
  }

  @Test
  void numericIdsAreNotDeduplicated() throws IOException {
    GoLineClient c = connectGo(server);

    JsonNode first = c.call(GoLineClient.request(9, "inc", "{\"key\":\"n\"}"));
    JsonNode again = c.call(GoLineClient.request(9, "inc", "{\"key\":\"n\"}"));

    assertThat(assertGoResult(first).get("value").asLong()).isEqualTo(1);
    assertThat(assertGoResult(again).get("value").asLong()).isEqualTo(2);
    assertThat(counters.incRuns()).isEqualTo(2);
  }

  @Test
  void stringIdsAreDeduplicatedAsOnKeel1() throws IOException {
    GoLineClient c = connectGo(server);
    String line = "{\"method\":\"inc\",\"params\":[{\"key\":\"s\"}],\"id\":\"call-1\"}";

    JsonNode first = c.call(line);
    JsonNode retry = c.call(line);

    assertThat(retry).isEqualTo(first);
    assertThat(counters.incRuns()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsInOneWriteAreEachAnswered() throws IOException {
    GoLineClient c = connectGo(server);

    c.sendRaw((GoLineClient.request(10, "inc", "{\"key\":\"p\"}") + "\n"
        + GoLineClient.request(11, "inc", "{\"key\":\"p\"}") + "\n"
        + GoLineClient.request(12, "get", "{\"key\":\"p\"}") + "\n")
        .getBytes(StandardCharsets.UTF_8));
    Map<Long, JsonNode> byId = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      JsonNode a = c.read();
      byId.put(a.get("id").asLong(), a);
    }

    assertThat(byId).containsOnlyKeys(10L, 11L, 12L);
    assertThat(counters.value("p")).isEqualTo(2);
  }
}

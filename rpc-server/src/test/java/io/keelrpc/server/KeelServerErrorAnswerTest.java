package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.core.MethodDescriptor;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Well-formed requests that fail: unknown method, params that do not bind, handlers that throw.
 * Each answer carries a typed code, leaks nothing of the server's internals, and the connection
 * keeps serving.
 */
class KeelServerErrorAnswerTest extends ServerTestSupport {
  record Empty() {}

  static final MethodDescriptor<Empty, String> BOOM =
      MethodDescriptor.of("boom", Empty.class, String.class);
  static final MethodDescriptor<Empty, String> REFUSE =
      MethodDescriptor.of("refuse", Empty.class, String.class);
  static final MethodDescriptor<Empty, String> PICKY =
      MethodDescriptor.of("picky", Empty.class, String.class);
  record Amount(long cents) {}
  static final MethodDescriptor<Amount, Long> PAY =
      MethodDescriptor.of("pay", Amount.class, Long.class);

  private final CounterService counters = new CounterService();
  private KeelServer server;
  private FrameClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = start(counters.registerOn(builder())
        .handle(BOOM, (p, ctx) -> {
          throw new IllegalStateException("secret-detail: db password is hunter2");
        })
        .handle(REFUSE, (p, ctx) -> {
          throw new ApplicationException(1001, "version mismatch",
              JsonNodeFactory.instance.objectNode().put("actualVersion", 7));
        })
        .handle(PICKY, (p, ctx) -> {
          throw new InvalidParamsException("picky wants more",
              JsonNodeFactory.instance.objectNode().put("field", "x"));
        })
        .handle(PAY, (p, ctx) -> p.cents()));
    client = connect(server);
  }

  @Test
  void unknownMethodIsMethodNotFoundEchoingId() throws IOException {
    JsonNode answer = client.call(request("u1", "nope", "{}"));

    JsonNode error = assertError(answer, ErrorCode.METHOD_NOT_FOUND.code());
    assertThat(error.get("message").asText()).contains("nope");
    assertThat(answer.get("id").asText()).isEqualTo("u1");
    assertStillServing();
  }

  @Test
  void paramsMemberOfWrongTypeIsInvalidParams() throws IOException {
    JsonNode answer = client.call(request("p1", "inc", "{\"key\":{\"x\":1}}"));

    assertError(answer, ErrorCode.INVALID_PARAMS.code());
    assertThat(answer.get("id").asText()).isEqualTo("p1");
    assertThat(counters.incRuns()).isZero();
    assertStillServing();
  }

  @Test
  void missingPrimitiveParamIsInvalidParamsWithoutJacksonConfigurationAdvice() throws IOException {
    JsonNode answer = client.call(request("p3", "pay", "{}"));

    JsonNode error = assertError(answer, ErrorCode.INVALID_PARAMS.code());
    assertThat(error.get("message").asText())
        .contains("Amount")
        .doesNotContain("DeserializationFeature")
        .doesNotContain("FAIL_ON_NULL_FOR_PRIMITIVES");
    assertStillServing();
  }

  @Test
  void nonNumericDeltaIsInvalidParams() throws IOException {
    JsonNode answer = client.call(request("p2", "inc", "{\"key\":\"a\",\"delta\":\"lots\"}"));

    assertError(answer, ErrorCode.INVALID_PARAMS.code());
    assertThat(counters.incRuns()).isZero();
    assertStillServing();
  }

  @Test
  void paramsThatAreAJsonStringAreInvalidRequest() throws IOException {
    JsonNode answer = client.call(request("p3", "inc", "\"a\""));

    assertError(answer, ErrorCode.INVALID_REQUEST.code());
    assertThat(answer.get("id").asText()).isEqualTo("p3");
    assertThat(counters.incRuns()).isZero();
    assertStillServing();
  }

  @Test
  void oneElementArrayParamsBindTheElement() throws IOException {
    JsonNode answer = client.call(request("p4", "inc", "[{\"key\":\"arr\",\"delta\":3}]"));

    assertThat(assertResult(answer).get("value").asLong()).isEqualTo(3);
  }

  @Test
  void handlerRuntimeExceptionIsInternalErrorWithoutLeakingIt() throws IOException {
    String raw;
    client.send(request("b1", "boom", "{}"));
    raw = client.readText();
    JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);

    assertError(answer, ErrorCode.INTERNAL_ERROR.code());
    assertThat(answer.get("id").asText()).isEqualTo("b1");
    assertThat(raw)
        .doesNotContain("IllegalStateException")
        .doesNotContain("java.lang")
        .doesNotContain("secret-detail")
        .doesNotContain("hunter2")
        .doesNotContain("\tat ")
        .doesNotContain("io.keelrpc");
    assertStillServing();
  }

  @Test
  void applicationExceptionIsAnsweredWithItsCodeAndData() throws IOException {
    JsonNode answer = client.call(request("a1", "refuse", "{}"));

    JsonNode error = assertError(answer, 1001);
    assertThat(error.get("message").asText()).isEqualTo("version mismatch");
    assertThat(error.path("data").path("actualVersion").asInt()).isEqualTo(7);
    assertThat(answer.get("id").asText()).isEqualTo("a1");
    assertStillServing();
  }

  @Test
  void protocolExceptionThrownByHandlerKeepsItsCode() throws IOException {
    JsonNode answer = client.call(request("i1", "picky", "{}"));

    JsonNode error = assertError(answer, ErrorCode.INVALID_PARAMS.code());
    assertThat(error.path("data").path("field").asText()).isEqualTo("x");
  }

  private void assertStillServing() throws IOException {
    String id = newId();
    JsonNode same = client.call(request(id, "get", "{\"key\":\"k\"}"));
    assertThat(same.get("id").asText()).isEqualTo(id);
    assertResult(same);
    JsonNode fresh = FrameClient.callOnce(server.port(), request(id + "-2", "get", "{\"key\":\"k\"}"));
    assertThat(fresh.get("id").asText()).isEqualTo(id + "-2");
    assertResult(fresh);
  }
}

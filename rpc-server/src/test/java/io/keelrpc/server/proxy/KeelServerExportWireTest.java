package io.keelrpc.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an exported interface looks like on the wire: names, params shapes, results, errors. */
class KeelServerExportWireTest extends ServerTestSupport {
  private final Shelf shelf = new Shelf();
  private FrameClient peer;

  @BeforeEach
  void startServer() throws IOException {
    KeelServer server = start(builder().export(ShelfApi.class, shelf));
    peer = connect(server);
  }

  private JsonNode call(String method, String params) throws IOException {
    return peer.call(request(newId(), method, params));
  }

  @Test
  void oneObjectParamIsTheParamsItself() throws IOException {
    shelf.put("a", 3);

    JsonNode result = assertResult(call("shelf.get", "{\"sku\":\"a\"}"));

    assertThat(result.toString()).isEqualTo("{\"sku\":\"a\",\"qty\":3}");
  }

  @Test
  void oneScalarParamArrivesAsAOneElementArray() throws IOException {
    shelf.put("a", 3);

    assertThat(assertResult(call("shelf.count", "[\"a\"]")).asInt()).isEqualTo(3);
  }

  @Test
  void severalParamsArePositional() throws IOException {
    JsonNode result = assertResult(call("shelf.put", "[\"a\",5]"));

    assertThat(result.toString()).isEqualTo("{\"sku\":\"a\",\"qty\":5}");
    assertThat(shelf.count("a")).isEqualTo(5);
  }

  @Test
  void positionalParamsOfTheWrongCountAreInvalidParams() throws IOException {
    JsonNode error = assertError(call("shelf.put", "[\"a\"]"), ErrorCode.INVALID_PARAMS.code());

    assertThat(error.path("message").asText()).isEqualTo(
        "params: an array of 1 (expected: an array of 2 positional params (String, int))");
    assertThat(shelf.runs("put")).isZero();
  }

  @Test
  void positionalParamsAsAnObjectAreInvalidParams() throws IOException {
    JsonNode error = assertError(call("shelf.put", "{\"sku\":\"a\",\"qty\":1}"),
        ErrorCode.INVALID_PARAMS.code());

    assertThat(error.path("message").asText()).startsWith("params: object (expected: an array");
  }

  @Test
  void nullForAPrimitiveParamIsInvalidParams() throws IOException {
    JsonNode error = assertError(call("shelf.put", "[\"a\",null]"),
        ErrorCode.INVALID_PARAMS.code());

    assertThat(error.path("message").asText()).startsWith("params[1]");
    assertThat(shelf.runs("put")).isZero();
  }

  @Test
  void positionalParamOfTheWrongTypeNamesItsPosition() throws IOException {
    JsonNode error = assertError(call("shelf.put", "[\"a\",\"many\"]"),
        ErrorCode.INVALID_PARAMS.code());

    assertThat(error.path("message").asText()).startsWith("params[1] do not bind to int: ");
  }

  @Test
  void genericParamBindsWithItsTypeArguments() throws IOException {
    JsonNode result = assertResult(call("shelf.putAll",
        "[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":2}]"));

    assertThat(result.asInt()).isEqualTo(3);
    assertThat(shelf.list()).containsExactly(new ShelfApi.Item("a", 1), new ShelfApi.Item("b", 2));
  }

  @Test
  void genericParamThatDoesNotBindIsInvalidParams() throws IOException {
    JsonNode error = assertError(call("shelf.putAll", "[{\"sku\":\"a\",\"qty\":\"x\"}]"),
        ErrorCode.INVALID_PARAMS.code());

    assertThat(error.path("message").asText()).startsWith("params do not bind to List<Item>: ");
  }

  @Test
  void noParamsMethodWithGenericResultIgnoresParams() throws IOException {
    shelf.put("a", 1);

    assertThat(assertResult(call("shelf.list", "{\"ignored\":true}")).toString())
        .isEqualTo("[{\"sku\":\"a\",\"qty\":1}]");
  }

  @Test
  void voidMethodAnswersANullResult() throws IOException {
    shelf.put("a", 1);

    assertThat(assertResult(call("shelf.clear", "null")).isNull()).isTrue();
    assertThat(shelf.list()).isEmpty();
  }

  @Test
  void explicitNameReplacesThePrefix() throws IOException {
    shelf.put("a", 2);
    shelf.put("b", 5);

    assertThat(assertResult(call("stock.total", "null")).asLong()).isEqualTo(7);
    assertError(call("shelf.total", "null"), ErrorCode.METHOD_NOT_FOUND.code());
  }

  @Test
  void defaultMethodIsNotExported() throws IOException {
    assertError(call("shelf.countTwice", "[\"a\"]"), ErrorCode.METHOD_NOT_FOUND.code());
  }

  @Test
  void asyncMethodsAnswerWhenTheirStageCompletes() throws IOException {
    shelf.put("a", 1);

    assertThat(assertResult(call("shelf.listAsync", "null")).toString())
        .isEqualTo("[{\"sku\":\"a\",\"qty\":1}]");
    assertThat(assertResult(call("shelf.clearAsync", "null")).isNull()).isTrue();
    assertThat(shelf.list()).isEmpty();
  }

  @Test
  void applicationExceptionFromTheImplementationIsTheTypedAnswer() throws IOException {
    JsonNode error = assertError(call("shelf.get", "{\"sku\":\"nope\"}"), Shelf.NOT_FOUND);

    assertThat(error.path("message").asText()).isEqualTo("no item \"nope\"");
  }

  @Test
  void otherExceptionFromTheImplementationIsAnInternalError() throws IOException {
    JsonNode error = assertError(call("shelf.fail", "[\"state\"]"),
        ErrorCode.INTERNAL_ERROR.code());

    assertThat(error.path("message").asText()).doesNotContain("broken on purpose");
  }
}

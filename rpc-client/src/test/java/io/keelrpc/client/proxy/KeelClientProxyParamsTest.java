package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.client.proxy.CatalogApi.Item;
import io.keelrpc.client.proxy.CatalogApi.Query;
import org.junit.jupiter.api.Test;

/** The params each proxied call sends, by the number and kind of its parameters. */
class KeelClientProxyParamsTest {
  private final RecordingClient recording = new RecordingClient();
  private final CatalogApi catalog = recording.client().proxy(CatalogApi.class);

  @Test
  void noParameterSendsNoParams() {
    catalog.clear();

    assertThat(recording.onlyCall().params()).isNull();
    assertThat(recording.onlyCall().method().paramsType()).isEqualTo(Void.class);
  }

  @Test
  void oneObjectParameterIsTheParams() throws JsonProcessingException {
    catalog.add(new Item("a", "Anvil", 2));

    assertThat(recording.onlyCall().paramsJson())
        .isEqualTo("{\"sku\":\"a\",\"name\":\"Anvil\",\"qty\":2}");
    assertThat(recording.onlyCall().method().paramsType()).isEqualTo(Item.class);
  }

  @Test
  void oneScalarParameterIsSentAsAOneElementArray() throws JsonProcessingException {
    catalog.getOrNull("a");

    assertThat(recording.onlyCall().paramsJson()).isEqualTo("[\"a\"]");
    assertThat(recording.onlyCall().method().paramsType()).isEqualTo(String.class);
  }

  @Test
  void severalParametersArePositional() throws JsonProcessingException {
    catalog.rename("a", null);

    assertThat(recording.onlyCall().paramsJson()).isEqualTo("[\"a\",null]");
    assertThat(recording.onlyCall().method().paramsType()).isEqualTo(JsonNode.class);
  }

  @Test
  void nullSingleArgumentIsRefusedBeforeAnythingIsSent() {
    assertThatNullPointerException()
        .isThrownBy(() -> catalog.find(null))
        .withMessage("CatalogApi.find(Query): the argument is null (expected: a value; it is the"
            + " call's params)");
    assertThatNullPointerException().isThrownBy(() -> catalog.get(null));
    assertThat(recording.calls()).isEmpty();
  }

  @Test
  void asynchronousMethodSendsLikeASynchronousOne() throws JsonProcessingException {
    catalog.findAsync(new Query("a"));

    assertThat(recording.onlyCall().method().name()).isEqualTo("catalog.findAsync");
    assertThat(recording.onlyCall().paramsJson()).isEqualTo("{\"prefix\":\"a\"}");
  }
}

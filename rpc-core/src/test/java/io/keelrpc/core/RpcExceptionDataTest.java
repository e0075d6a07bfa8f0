package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.keelrpc.core.wire.KeelJson;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structured error data: bound to a record, and OVERLOADED's retry-after hint. */
class RpcExceptionDataTest {
  record Mismatch(long actualVersion, String lastWriter, List<String> keys) {}

  private static JsonNode json(String text) throws Exception {
    return KeelJson.mapper().readTree(text);
  }

  @Test
  void dataBindsToARecord() throws Exception {
    RpcException e = RpcException.from(1001, "version mismatch",
        json("{\"actualVersion\":7,\"lastWriter\":\"c-9\",\"keys\":[\"a\"],\"extra\":true}"));

    assertThat(e.data(Mismatch.class)).isEqualTo(new Mismatch(7, "c-9", List.of("a")));
  }

  @Test
  void absentOrNullDataBindsToNull() {
    assertThat(new ApplicationException(1001, "x").data(Mismatch.class)).isNull();
    assertThat(new ApplicationException(1001, "x", NullNode.getInstance()).data(Mismatch.class))
        .isNull();
  }

  @Test
  void dataThatDoesNotBindIsAnIllegalArgumentNamingTheType() throws Exception {
    RpcException e = new ApplicationException(1001, "x", json("{\"actualVersion\":\"seven\"}"));

    assertThatIllegalArgumentException().isThrownBy(() -> e.data(Mismatch.class))
        .withMessageContaining(Mismatch.class.getName());
  }

  @Test
  void overloadedReadsRetryAfterFromData() throws Exception {
    OverloadedException e = (OverloadedException) RpcException.from(-32001, "busy",
        json("{\"retryAfterMs\":40}"));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void overloadedWithoutUsableRetryAfterIsZero() throws Exception {
    assertThat(new OverloadedException("busy", null).retryAfter()).isZero();
    assertThat(new OverloadedException("busy", json("{}")).retryAfter()).isZero();
    assertThat(new OverloadedException("busy", json("{\"retryAfterMs\":\"40\"}")).retryAfter())
        .isZero();
    assertThat(new OverloadedException("busy", json("[40]")).retryAfter()).isZero();
    assertThat(new OverloadedException("busy", json("{\"retryAfterMs\":-5}")).retryAfter())
        .isZero();
  }

  @Test
  void withRetryAfterWritesTheHintIntoData() {
    OverloadedException e = OverloadedException.withRetryAfter("busy", Duration.ofMillis(250));

    assertThat(e.data()).isEqualTo(JsonNodeFactory.instance.objectNode().put("retryAfterMs", 250L));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(250));
    assertThat(e.retrySafety()).isEqualTo(RetrySafety.ALWAYS);
  }
}

package io.keelrpc.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The key a request is deduplicated under: meta key, else a string id, else none. */
class RequestIdempotencyKeyTest {
  private static Request request(com.fasterxml.jackson.databind.JsonNode id, String metaKey) {
    return new Request(id, "m", null, new Meta(Meta.NO_TIMEOUT, Meta.NO_ATTEMPT, metaKey), true);
  }

  @Test
  void metaKeyWinsOverAStringId() {
    assertThat(request(TextNode.valueOf("id-1"), "key-1").idempotencyKey()).isEqualTo("key-1");
  }

  @Test
  void metaKeyIsUsedEvenWithANumericId() {
    assertThat(request(IntNode.valueOf(7), "key-1").idempotencyKey()).isEqualTo("key-1");
  }

  @Test
  void stringIdIsTheKeyWhenMetaHasNone() {
    assertThat(request(TextNode.valueOf("id-1"), null).idempotencyKey()).isEqualTo("id-1");
  }

  @Test
  void numericNullAndMissingIdsHaveNoKey() {
    assertThat(request(IntNode.valueOf(7), null).idempotencyKey()).isNull();
    assertThat(request(DecimalNode.valueOf(new BigDecimal("7.5")), null).idempotencyKey()).isNull();
    assertThat(request(NullNode.getInstance(), null).idempotencyKey()).isNull();
    assertThat(request(null, null).idempotencyKey()).isNull();
  }
}

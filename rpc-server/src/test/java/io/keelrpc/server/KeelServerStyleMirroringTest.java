package io.keelrpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers mirror the request's style: {@code jsonrpc} member, id type; notifications are silent. */
class KeelServerStyleMirroringTest extends ServerTestSupport {
  private final CounterService counters = new CounterService();
  private KeelServer server;
  private FrameClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = start(counters.registerOn(builder()));
    client = connect(server);
  }

  @Test
  void requestWithoutJsonrpcIsAnsweredWithoutIt() throws IOException {
    JsonNode answer = client.call(
        "{\"id\":\"plain-1\",\"method\":\"inc\",\"params\":{\"key\":\"a\",\"delta\":2}}");

    assertThat(answer.has("jsonrpc")).isFalse();
    assertThat(answer.get("id").isTextual()).isTrue();
    assertThat(answer.get("id").asText()).isEqualTo("plain-1");
    assertThat(assertResult(answer).get("value").asLong()).isEqualTo(2);
  }

  @Test
  void errorAnswerToRequestWithoutJsonrpcIsWithoutItToo() throws IOException {
    JsonNode answer = client.call("{\"id\":\"plain-2\",\"method\":\"missing\"}");

    assertError(answer, ErrorCode.METHOD_NOT_FOUND.code());
    assertThat(answer.has("jsonrpc")).isFalse();
    assertThat(answer.get("id").asText()).isEqualTo("plain-2");
  }

  @Test
  void requestWithJsonrpcIsAnsweredWithIt() throws IOException {
    JsonNode answer = client.call(request("v2-1", "inc", "{\"key\":\"a\"}"));

    assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(answer.get("id").asText()).isEqualTo("v2-1");
    assertResult(answer);
  }

  @Test
  void numericIdsAreEchoedAsNumbers() throws IOException {
    JsonNode small = client.call(
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"get\",\"params\":{\"key\":\"a\"}}");
    JsonNode large = client.call(
        "{\"jsonrpc\":\"2.0\",\"id\":9007199254740993,\"method\":\"get\",\"params\":{\"key\":\"a\"}}");

    assertThat(small.get("id").isIntegralNumber()).isTrue();
    assertThat(small.get("id").asInt()).isEqualTo(7);
    assertThat(large.get("id").isIntegralNumber()).isTrue();
    assertThat(large.get("id").asLong()).isEqualTo(9007199254740993L);
  }

  @Test
  void nullIdIsAnsweredWithNullId() throws IOException {
    JsonNode answer = client.call(
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"get\",\"params\":{\"key\":\"a\"}}");

    assertThat(answer.has("id")).isTrue();
    assertThat(answer.get("id").isNull()).isTrue();
    assertResult(answer);
  }

  @Test
  void notificationIsExecutedAndNeverAnswered() throws IOException {
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"inc\",\"params\":{\"key\":\"n\",\"delta\":5}}");
    client.send(request("after-notification", "get", "{\"key\":\"other\"}"));

    JsonNode first = client.read();

    assertThat(first.get("id").asText()).isEqualTo("after-notification");
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.value("n") == 5);
    // Nothing for the notification arrives later either: the next frame answers the next request.
    JsonNode next = client.call(request("last", "get", "{\"key\":\"n\"}"));
    assertThat(next.get("id").asText()).isEqualTo("last");
    assertThat(assertResult(next).get("value").asLong()).isEqualTo(5);
  }

  @Test
  void failingNotificationIsNeverAnswered() throws IOException {
    client.send("{\"method\":\"missing\"}");
    client.send("{\"method\":\"inc\",\"params\":{\"key\":{\"bad\":1}}}");

    JsonNode answer = client.call(request("after-bad-notifications", "get", "{\"key\":\"k\"}"));

    assertThat(answer.get("id").asText()).isEqualTo("after-bad-notifications");
  }
}

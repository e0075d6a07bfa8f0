package io.keelrpc.server.go;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** {@link ServerTestSupport} plus Go-style connections closed after each test. */
abstract class GoTestSupport extends ServerTestSupport {
  private final List<GoLineClient> goClients = new ArrayList<>();

  /** A Go-style connection closed after the test. */
  protected GoLineClient connectGo(KeelServer server) throws IOException {
    GoLineClient c = GoLineClient.connect(server.port());
    goClients.add(c);
    return c;
  }

  @AfterEach
  void closeGoClients() throws IOException {
    for (GoLineClient c : goClients) {
      c.close();
    }
  }

  /** Asserts a Go success answer: both members, {@code error} null; returns the result. */
  protected static JsonNode assertGoResult(JsonNode answer) {
    assertThat(answer.has("result")).as("result member in %s", answer).isTrue();
    assertThat(answer.has("error")).as("error member in %s", answer).isTrue();
    assertThat(answer.get("error").isNull()).as("error null in %s", answer).isTrue();
    assertThat(answer.get("result").isNull()).as("result not null in %s", answer).isFalse();
    return answer.get("result");
  }

  /** Asserts a Go error answer: {@code result} null, {@code error} a string; returns it. */
  protected static String assertGoError(JsonNode answer) {
    assertThat(answer.has("result")).as("result member in %s", answer).isTrue();
    assertThat(answer.get("result").isNull()).as("result null in %s", answer).isTrue();
    assertThat(answer.path("error").isTextual()).as("error string in %s", answer).isTrue();
    assertThat(answer.size()).as("members of %s", answer).isEqualTo(3);
    return answer.get("error").textValue();
  }
}

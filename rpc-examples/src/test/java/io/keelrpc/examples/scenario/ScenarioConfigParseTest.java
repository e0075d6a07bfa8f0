package io.keelrpc.examples.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.examples.kv.KvBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioConfigParseTest {

  @Test
  void theSeedsConfigFileParsesAsIs() {
    ScenarioConfig c = ScenarioConfig.parse("""
        {
          "clients": [
            {
              "name": "client_1",
              "keys": ["key1", "key2"],
              "client_packet_loss_rate": 3.0
            }
          ],
          "test_duration_seconds": 30,
          "server_packet_loss_rate": 5.0,
          "max_retries_server_packet_loss": 10
        }""");

    assertThat(c.clients()).singleElement().satisfies(client -> {
      assertThat(client.name()).isEqualTo("client_1");
      assertThat(client.keys()).containsExactly("key1", "key2");
      assertThat(client.requestLossPercent()).isEqualTo(3.0);
    });
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.serverResponseLossPercent()).isEqualTo(5.0);
    assertThat(c.maxNetworkRetries()).isEqualTo(10);
    assertThat(c.backend()).isEqualTo(KvBackend.MEMORY);
    assertThat(c.idempotencyCache()).isTrue();
  }

  @Test
  void theBuiltInScenarioIsValid() {
    ScenarioConfig c = ScenarioConfig.builtIn();

    assertThat(c.clients()).hasSizeGreaterThan(1);
    assertThat(c.serverResponseLossPercent()).isPositive();
  }

  @Test
  void unknownFieldsAreRejectedByName() {
    assertThatThrownBy(() -> ScenarioConfig.parse(
        "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]}],\"test_duration\":3}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_duration");
  }

  @Test
  void ratesOutsideZeroToHundredPercentAreRejectedWithTheField() {
    assertThatThrownBy(() -> ScenarioConfig.parse(
        "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]}],\"server_packet_loss_rate\":150}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server_packet_loss_rate: 150.0 (expected: 0..100 percent)");
  }

  @Test
  void aScenarioNeedsClientsWithKeysAndDistinctNames() {
    assertThatThrownBy(() -> ScenarioConfig.parse("{\"clients\":[]}"))
        .hasMessageContaining("clients: none");
    assertThatThrownBy(() -> ScenarioConfig.parse("{\"clients\":[{\"name\":\"a\",\"keys\":[]}]}"))
        .hasMessageContaining("clients[a].keys: none");
    assertThatThrownBy(() -> ScenarioConfig.parse(
        "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]},{\"name\":\"a\",\"keys\":[\"k\"]}]}"))
        .hasMessageContaining("name \"a\" used twice");
  }

  @Test
  void anUnknownBackendOrDelayKindIsNamed() {
    assertThatThrownBy(() -> ScenarioConfig.parse(
        "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]}],\"backend\":\"redis\"}"))
        .hasMessageContaining("backend: \"redis\" (expected: memory, file or sqlite)");
    assertThatThrownBy(() -> ScenarioConfig.parse(
        "{\"clients\":[{\"name\":\"a\",\"keys\":[\"k\"]}],"
            + "\"server_delay\":{\"rate\":5,\"kind\":\"gauss\"}}"))
        .hasMessageContaining("server_delay.kind: \"gauss\"");
  }
}

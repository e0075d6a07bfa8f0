package io.keelrpc.client;

import static io.keelrpc.client.TestApi.GET;
import static io.keelrpc.client.TestApi.INC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.client.TestApi.Key;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.MethodNotFoundException;
import io.keelrpc.core.ServerErrorException;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Ticker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Keel client against a peer nobody here wrote: a stand-in for the Python {@code RpcServer} of
 * seed {@code 000_a902bf2e86bf5c16.txt}, which ignores {@code jsonrpc} and {@code meta}, answers
 * without {@code jsonrpc}, and caches answers by request id.
 */
class KeelClientSeedPythonInteropTest {
  record DeltaOnly(long delta) {}

  record NameOnly(String name) {}

  static final MethodDescriptor<DeltaOnly, Counter> INC_WITHOUT_KEY =
      MethodDescriptor.of("inc", DeltaOnly.class, Counter.class);
  static final MethodDescriptor<NameOnly, Counter> GET_WITHOUT_KEY =
      MethodDescriptor.of("get", NameOnly.class, Counter.class).asReadOnly();
  static final MethodDescriptor<Inc, Counter> DEC =
      MethodDescriptor.of("dec", Inc.class, Counter.class);

  private SeedPythonServer server;
  private KeelClient client;

  @BeforeEach
  void start() {
    server = SeedPythonServer.start(Ticker.system());
    client = KeelClient.builder().endpoint("127.0.0.1", server.port())
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1))
            .jitter(Jitter.none()).build())
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void incThreeTimesThenGetGivesTypedResults() {
    assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", 1));
    assertThat(client.call(INC, new Inc("a", 2))).isEqualTo(new Counter("a", 3));
    assertThat(client.call(INC, new Inc("a", 3))).isEqualTo(new Counter("a", 6));

    assertThat(client.call(GET, new Key("a"))).isEqualTo(new Counter("a", 6));
    assertThat(client.call(GET, new Key("never-set"))).isEqualTo(new Counter("never-set", 0));
    // Keel ids are unique per call, so the seed's cache by id never swallows a distinct call
    assertThat(server.handlerRuns()).isEqualTo(5);
  }

  @Test
  void unknownMethodFailsWithMethodNotFound() {
    MethodNotFoundException e = catchThrowableOfType(MethodNotFoundException.class,
        () -> client.call(DEC, new Inc("a", 1)));

    assertThat(e.code()).isEqualTo(-32601);
    assertThat(e.getMessage()).isEqualTo("Method not found");
    assertThat(e.data()).isNull();
    assertThat(server.requestsReceived()).isEqualTo(1);
  }

  @Test
  void missingKeyFailsWithServerErrorCarryingPythonsKeyErrorText() {
    assertThatThrownBy(() -> client.call(INC_WITHOUT_KEY, new DeltaOnly(1)))
        .isExactlyInstanceOf(ServerErrorException.class)
        .hasMessage("'key'");
    assertThat(server.requestsReceived()).isEqualTo(1);
  }

  @Test
  void retriedReadIsAnsweredFromTheSeedServersCacheById() {
    // a read-only call retries SERVER_ERROR; every attempt reuses the id, so the seed server
    // replays its cached answer instead of running the handler again
    assertThatThrownBy(() -> client.call(GET_WITHOUT_KEY, new NameOnly("a")))
        .isExactlyInstanceOf(ServerErrorException.class)
        .hasMessage("'key'");

    assertThat(server.requestsReceived()).isEqualTo(3);
    assertThat(server.handlerRuns()).isEqualTo(1);
  }
}

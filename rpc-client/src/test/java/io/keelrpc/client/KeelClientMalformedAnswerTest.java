package io.keelrpc.client;

import static io.keelrpc.client.TestApi.INC;
import static io.keelrpc.client.TestApi.failureOf;
import static io.keelrpc.client.TestApi.virtualTimeClient;
import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.FakeKeelServer.Exchange;
import io.keelrpc.client.TestApi.Counter;
import io.keelrpc.client.TestApi.Inc;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.time.FakeClock;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that sends something that is not a {@code keel/1} answer loses its connection: the
 * calls waiting on it fail as sent-but-unanswered, and the next call opens a new connection.
 */
class KeelClientMalformedAnswerTest {
  private static final int MAX_FRAME = 100;

  static Stream<Arguments> brokenAnswers() {
    return Stream.of(
        Arguments.of("frame larger than maxFrameBytes",
            (FakeKeelServer.Script) ex -> ex.replyResult(new Counter("k".repeat(MAX_FRAME), 1))),
        Arguments.of("zero-length frame",
            (FakeKeelServer.Script) ex -> ex.sendBytes(new byte[] {0, 0, 0, 0})),
        Arguments.of("not JSON",
            (FakeKeelServer.Script) ex -> ex.replyRaw("this is not json")),
        Arguments.of("a JSON array",
            (FakeKeelServer.Script) ex -> ex.replyRaw("[1,2,3]")),
        Arguments.of("an error without a code",
            (FakeKeelServer.Script) ex -> ex.replyRaw(
                "{\"id\":\"" + ex.id() + "\",\"error\":{\"message\":\"x\"}}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenAnswers")
  void brokenAnswerClosesTheConnectionAndTheNextCallReconnects(String what,
      FakeKeelServer.Script broken) {
    FakeClock clock = new FakeClock();
    try (FakeKeelServer server = FakeKeelServer.start(ex -> {
          if (ex.index() == 1) {
            broken.onRequest(ex);
          } else {
            ex.replyResult(new Counter("a", 2));
          }
        });
        KeelClient client = virtualTimeClient(server.port(), clock).maxFrameBytes(MAX_FRAME)
            .build()) {
      CompletableFuture<Counter> f = client.callAsync(INC, new Inc("a", 1));

      assertThat(failureOf(f, TransportException.class).requestSent()).isTrue();
      assertThat(client.call(INC, new Inc("a", 1))).isEqualTo(new Counter("a", 2));
      assertThat(server.requests()).extracting(Exchange::connection).containsExactly(1, 2);
    }
  }
}

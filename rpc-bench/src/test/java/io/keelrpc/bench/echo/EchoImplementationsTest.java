package io.keelrpc.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every comparator echoes correctly: server and client in this JVM over loopback, 100 calls per
 * payload size, all outstanding at once on one connection (so answers must be matched to calls),
 * each answer's content compared with what was sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoImplementationsTest {
  private static final int CALLS = 100;

  @ParameterizedTest
  @EnumSource(Impl.class)
  void echoesEveryPayloadExactly(Impl impl) throws Exception {
    if (impl == Impl.GRPC_EPOLL && !Epoll.isAvailable()) {
      // Where gRPC's native transport cannot load, asking for it must fail clearly, not fall back.
      assertThatThrownBy(() -> impl.startServer(0, false)).hasMessageContaining("epoll");
      return;
    }
    try (EchoServer server = impl.startServer(0, false);
        EchoClient client = impl.connect("127.0.0.1", server.port())) {
      for (int size : new int[] {64, 4096}) {
        Payload payload = Payload.ofSize(size);
        assertThat(payload.bytes()).hasSize(size);
        assertThat(payload.text()).hasSize(size);
        List<CompletableFuture<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          CompletableFuture<Throwable> outcome = new CompletableFuture<>();
          client.call(payload, outcome::complete);
          calls.add(outcome);
        }
        for (CompletableFuture<Throwable> call : calls) {
          assertThat(call.get(10, TimeUnit.SECONDS)).as("%s, %d B", impl, size).isNull();
        }
      }
    }
  }

  @Test
  void bareAndRawFlushingEveryAnswerEchoToo() throws Exception {
    for (Impl impl : List.of(Impl.BARE, Impl.RAW)) {
      try (EchoServer server = impl.startServer(0, true);
          EchoClient client = impl.connect("127.0.0.1", server.port())) {
        Payload payload = Payload.ofSize(4096);
        List<CompletableFuture<Throwable>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
          CompletableFuture<Throwable> outcome = new CompletableFuture<>();
          client.call(payload, outcome::complete);
          calls.add(outcome);
        }
        for (CompletableFuture<Throwable> call : calls) {
          assertThat(call.get(10, TimeUnit.SECONDS)).as("%s", impl).isNull();
        }
      }
    }
  }

  @Test
  void anAnswerThatIsNotTheEchoIsReportedAsAMismatch() throws Exception {
    // The raw server returns the bare client's request object itself, which has no "result".
    try (EchoServer server = Impl.RAW.startServer(0, false);
        EchoClient client = Impl.BARE.connect("127.0.0.1", server.port())) {
      CompletableFuture<Throwable> outcome = new CompletableFuture<>();
      client.call(Payload.ofSize(64), outcome::complete);
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(EchoMismatchException.class);
    }
  }

  @Test
  void callsOnAClosedClientFailInsteadOfHanging() throws Exception {
    for (Impl impl : List.of(Impl.BARE, Impl.RAW)) {
      try (EchoServer server = impl.startServer(0, false)) {
        EchoClient client = impl.connect("127.0.0.1", server.port());
        client.close();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        client.call(Payload.ofSize(64), outcome::complete);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).as("%s", impl).isNotNull();
      }
    }
  }
}

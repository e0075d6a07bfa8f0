package io.keelrpc.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.occ.KeyExistsException;
import io.keelrpc.core.occ.KeyNotFoundException;
import io.keelrpc.core.occ.VersionMismatchException;
import io.keelrpc.examples.kv.storage.InMemoryKvStorage;
import io.keelrpc.server.KeelServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KvClient} as the OCC engine sees it: versioned reads, typed refusals, one attempt. */
class KvClientVersionedStoreTest {
  private InMemoryKvStorage storage;
  private KeelServer server;
  private KeelClient keel;

  private KvClient start(boolean serverIdempotency) {
    storage = new InMemoryKvStorage();
    server = KvService.register(KeelServer.builder().port(0), storage)
        .idempotency(serverIdempotency).start();
    keel = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
    return new KvClient(keel);
  }

  private KeelClient unused;

  @AfterEach
  void stop() {
    if (unused != null) {
      unused.close();
    }
    if (keel != null) {
      keel.close();
      server.close();
      storage.close();
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the call to fail");
  }

  @Test
  void readOfAMissingKeyIsAbsent() {
    KvClient kv = start(true);

    assertThat(join(kv.read("nope"))).isEqualTo(Versioned.absent());
  }

  @Test
  void readReturnsValueVersionAndWriter() {
    KvClient kv = start(true);
    assertThat(join(kv.write("a", "x", 0, "w-1"))).isEqualTo(1);
    assertThat(join(kv.write("a", "y", 1, "w-2"))).isEqualTo(2);

    assertThat(join(kv.read("a"))).isEqualTo(new Versioned<>("y", 2, "w-2"));
  }

  @Test
  void refusedWritesFailWithTheTypedOccExceptions() {
    KvClient kv = start(true);
    join(kv.write("a", "x", 0, "w-1"));
    join(kv.write("a", "y", 1, "w-2"));

    assertThat(failure(kv.write("a", "z", 0, "w-3")))
        .isInstanceOfSatisfying(KeyExistsException.class,
            e -> assertThat(e.actualVersion()).isEqualTo(2));
    assertThat(failure(kv.write("b", "z", 7, "w-4"))).isInstanceOf(KeyNotFoundException.class);
    assertThat(failure(kv.write("a", "z", 1, "w-5")))
        .isInstanceOfSatisfying(VersionMismatchException.class, e -> {
          assertThat(e.actualVersion()).isEqualTo(2);
          assertThat(e.writerId()).isEqualTo("w-2");
          assertThat(e.provesApplied("w-5")).isFalse();
        });
  }

  @Test
  void repeatedWriteIsAnsweredFromTheServersCacheWithTheFirstOutcome() {
    KvClient kv = start(true);
    join(kv.write("a", "x", 0, "w-1"));

    // The engine repeating a write whose answer it lost: same writer id and expected version.
    assertThat(join(kv.write("a", "x", 0, "w-1"))).isEqualTo(1);
    assertThat(storage.get("a").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void withoutTheServersCacheTheStoresHistoryProvesTheRepeatApplied() {
    KvClient kv = start(false);
    join(kv.write("a", "x", 0, "w-1"));
    join(kv.write("a", "y", 1, "w-2"));

    assertThat(failure(kv.write("a", "x", 0, "w-1")))
        .isInstanceOfSatisfying(VersionMismatchException.class, e -> {
          assertThat(e.appliedVersion()).isEqualTo(1);
          assertThat(e.provesApplied("w-1")).isTrue();
        });
    assertThat(storage.get("a").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void retriedWriterIdAtANewExpectedVersionRunsAgain() {
    KvClient kv = start(true);
    join(kv.write("a", "x", 0, "w-1"));
    assertThat(failure(kv.write("a", "mine", 0, "w-2"))).isInstanceOf(KeyExistsException.class);

    // After re-reading, the engine retries the same writer id at the version it read.
    assertThat(join(kv.write("a", "mine", 1, "w-2"))).isEqualTo(2);
  }

  @Test
  void everyCallIsOneAttemptAndPutsCarryWriterIdAtExpectedVersionAsIdempotencyKey() {
    KvClient kv = new KvClient(unusedClient(), Duration.ofMillis(300));

    CallOptions put = kv.putOptions("w-7", 3);
    assertThat(put.retryPolicy().maxAttempts()).isEqualTo(1);
    assertThat(put.idempotencyKey()).isEqualTo("w-7@3");
    assertThat(put.perAttemptTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(put.deadline()).isGreaterThan(put.perAttemptTimeout());
    CallOptions anonymous = kv.putOptions(null, 3);
    assertThat(anonymous.idempotencyKey()).isNull();
    assertThat(anonymous.idempotent()).isFalse();
    assertThat(kv.readOptions().retryPolicy().maxAttempts()).isEqualTo(1);
    assertThat(KvClient.idempotencyKey("w".repeat(300), 1)).isNull();
  }

  @Test
  void unreachableServerFailsWithTheTransportFailureNotATypedRefusal() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (KeelClient unreachable = KeelClient.builder().endpoint("127.0.0.1", closedPort).build()) {
      KvClient kv = new KvClient(unreachable, Duration.ofSeconds(2));

      assertThat(failure(kv.write("a", "x", 0, "w-1"))).isInstanceOf(TransportException.class);
      assertThat(failure(kv.read("a"))).isInstanceOf(TransportException.class);
    }
  }

  @Test
  void callTimeoutMustBePositive() {
    assertThatThrownBy(() -> new KvClient(unusedClient(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("callTimeout: PT0S (expected: > 0)");
  }

  /** A client that never connects (it connects on first use); closed after the test. */
  private KeelClient unusedClient() {
    unused = KeelClient.builder().endpoint("127.0.0.1", 9).build();
    return unused;
  }
}

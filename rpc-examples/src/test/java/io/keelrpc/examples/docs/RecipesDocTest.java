package io.keelrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.occ.OccResult;
import io.keelrpc.client.occ.OccUpdater;
import io.keelrpc.client.occ.Versioned;
import io.keelrpc.client.stream.resume.ResumableStream;
import io.keelrpc.client.stream.resume.Sequenced;
import io.keelrpc.client.stream.resume.SequencedSource;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.core.UnavailableException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.examples.kv.KvClient;
import io.keelrpc.examples.kv.KvService;
import io.keelrpc.examples.kv.storage.InMemoryKvStorage;
import io.keelrpc.examples.kv.storage.KvStorage;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.KeelServer;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes "OCC read-modify-write", "A stream that survives reconnects" and "TLS and bearer
 * tokens" of {@code docs/recipes.md}: they run over loopback, and the page shows their code
 * verbatim.
 */
class RecipesDocTest {
  // doc:begin resume-api
  record From(long seq) {}

  record Tick(long seq, String text) {}

  static final MethodDescriptor<From, Tick> TICKS =
      MethodDescriptor.of("ticks", From.class, Tick.class);
  // doc:end resume-api

  @Test
  void concurrentOccIncrementsLoseNothing() {
    // doc:begin occ
    try (KvStorage storage = new InMemoryKvStorage();
        KeelServer server = KvService.register(KeelServer.builder().port(0), storage).start();
        KeelClient keel = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      KvClient kv = new KvClient(keel);              // a VersionedStore<String>: kv.get, kv.put
      OccUpdater updater = OccUpdater.ofDefaults();  // immutable, thread-safe: share one
      List<CompletableFuture<OccResult<String>>> updates = IntStream.range(0, 6)
          .mapToObj(i -> updater.update(kv, "visits",
              v -> v == null ? "1" : Long.toString(Long.parseLong(v) + 1),  // may run again
              Duration.ofSeconds(30)))
          .toList();                                 // 6 increments racing each other
      List<Long> versions = updates.stream().map(f -> f.join().written().version()).toList();
      Versioned<String> visits = kv.read("visits").toCompletableFuture().join();

      assertThat(visits.value()).isEqualTo("6");     // none lost, none doubled
      assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
    }
    // doc:end occ
  }

  @Test
  void resumableStreamDeliversEveryTickOnceInOrderAcrossABrokenStream() {
    // doc:begin resume-server
    AtomicBoolean broken = new AtomicBoolean();          // for the demo: break one stream
    KeelServer server = KeelServer.builder()
        .port(0)
        .handleServerStream(TICKS, (p, out, ctx) -> {
          for (long seq = p.seq(); seq < 10; seq++) {
            if (seq == 3 && broken.compareAndSet(false, true)) {
              throw new UnavailableException("restarting");   // the first stream breaks
            }
            out.send(new Tick(seq, "tick " + seq));
          }
        })
        .start();
    // doc:end resume-server
    List<Tick> seen = new CopyOnWriteArrayList<>();
    try (server; KeelClient client = KeelClient.builder()
        .endpoint("127.0.0.1", server.port()).build()) {
      // doc:begin resume-client
      SequencedSource<Tick> source = (fromSeq, onItem, onFailure) -> {
        KeelStream<Tick> stream = client.serverStream(TICKS, new From(fromSeq));
        pump(stream, onItem, onFailure);
        return new SequencedSource.Handle() {
          @Override
          public void requestRetransmit(long from, long to) {
            onFailure.accept(new IllegalStateException("gap " + from + ".." + to)); // reopen
          }

          @Override
          public void close() {
            stream.close();
          }
        };
      };
      try (ResumableStream<Tick> ticks = ResumableStream.builder(source)
          .reconnectBackoff(RetryPolicy.builder().initialBackoff(Duration.ofMillis(20)).build())
          .start(t -> seen.add(t.item()))) {           // each tick once, in order
        await().until(() -> seen.size() == 10);
        assertThat(ticks.stats().reconnects()).isEqualTo(1);
      }
      // doc:end resume-client
    }
    assertThat(seen).extracting(Tick::seq).containsExactlyElementsOf(
        LongStream.range(0, 10).boxed().toList());
  }

  // doc:begin resume-pump
  /** Reads the stream's items one after the other without holding a thread. */
  static void pump(KeelStream<Tick> stream, Consumer<Sequenced<Tick>> onItem,
      Consumer<Throwable> onFailure) {
    stream.nextAsync().whenComplete((tick, failure) -> {
      if (failure != null) {
        onFailure.accept(failure);                   // resumed from the next expected seq
      } else if (tick != null) {                     // null: the server ended the stream
        onItem.accept(new Sequenced<>(tick.seq(), tick));
        pump(stream, onItem, onFailure);
      }
    });
  }
  // doc:end resume-pump

  @Test
  void tlsAndBearerTokenMakeTheCallersPrincipal(@TempDir Path dir) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create(dir);
    Path serverP12 = cert.keyStore();
    char[] password = SelfSignedCertificate.PASSWORD;
    Path serverPem = cert.certificatePem();
    String aliceToken = "s3cr3t-alice";
    AtomicReference<String> token = new AtomicReference<>(aliceToken);
    // doc:begin tls-server
    KeelServer server = KeelServer.builder()
        .host("127.0.0.1").port(0)                            // "0.0.0.0" for every interface
        .tls(TlsConfig.builder().keyStore(serverP12, password).build())
        .authenticator(Authenticator.bearerTokens(Map.of(aliceToken, "alice")))
        .handle(HelloApi.GREET, (p, ctx) -> new HelloApi.Greeting(
            "Hello, " + ctx.principal().map(Principal::getName).orElseThrow()))
        .start();
    // doc:end tls-server
    try (server) {
      // doc:begin tls-client
      try (KeelClient client = KeelClient.builder()
          .endpoint("localhost", server.port())                 // a name the certificate holds
          .tls(TlsConfig.builder().trustPem(serverPem).build()) // none: the JDK's trust store
          .bearerToken(token::get)                              // read for every attempt
          .build()) {
        HelloApi.Greeting g = client.call(HelloApi.GREET, new HelloApi.Greet("ignored"));
        assertThat(g.text()).isEqualTo("Hello, alice");

        token.set("not-a-known-token");
        assertThatThrownBy(() -> client.call(HelloApi.GREET, new HelloApi.Greet("ignored")))
            .isInstanceOf(UnauthenticatedException.class);        // not retried
      }
      // doc:end tls-client
    }
  }

  @Test
  void pageShowsTheRecipesVerbatim() {
    for (String region : List.of("occ", "resume-api", "resume-server", "resume-client",
        "resume-pump", "tls-server", "tls-client")) {
      DocSnippets.assertShown("recipes.md", region,
          DocSnippets.region(RecipesDocTest.class, region));
    }
  }
}

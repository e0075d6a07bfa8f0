package io.keelrpc.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.tls.TestPki;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.CounterService;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on the server's port, with raw JDK TLS sockets as clients. */
class KeelServerTlsTest extends ServerTestSupport {
  @TempDir
  static Path dir;
  static TestPki pki;

  @BeforeAll
  static void makeCertificates() {
    pki = TestPki.create(dir);
  }

  private static String inc(String key) {
    return request(newId(), "inc", "{\"key\":\"" + key + "\"}");
  }

  @Test
  void callRoundTripsOverTlsWithPemKeyMaterial() throws Exception {
    KeelServer server = start(new CounterService().registerOn(builder().tls(pki.serverPem(false))));

    try (TlsFrameClient c = TlsFrameClient.connect(server.port(), pki, false)) {
      assertThat(assertResult(c.call(inc("a"))).path("value").asLong()).isEqualTo(1);
      assertThat(assertResult(c.call(inc("a"))).path("value").asLong()).isEqualTo(2);
    }
  }

  @Test
  void serverKeyMaterialMayComeFromAKeystore() throws Exception {
    TlsConfig tls = TlsConfig.builder().keyStore(pki.serverKeyStore(), TestPki.PASSWORD).build();
    KeelServer server = start(new CounterService().registerOn(builder().tls(tls)));

    try (TlsFrameClient c = TlsFrameClient.connect(server.port(), pki, false)) {
      assertThat(assertResult(c.call(inc("a"))).path("value").asLong()).isEqualTo(1);
    }
  }

  @Test
  void plaintextClientOnATlsPortGetsNoAnswer() throws IOException {
    KeelServer server = start(new CounterService().registerOn(builder().tls(pki.serverPem(false))));
    FrameClient c = connect(server);

    c.send(inc("a"));

    // the server reads the frame as a broken TLS record and closes the connection
    Throwable t = catchThrowable(c::readText);
    assertThat(t).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void mutualTlsAcceptsAClientWithACertificateAndExposesItsSubject() throws Exception {
    AtomicReference<String> principal = new AtomicReference<>();
    AtomicReference<SSLSession> session = new AtomicReference<>();
    KeelServer server = start(builder()
        .tls(pki.serverPem(true))
        .authenticator(Authenticator.clientCertificate())
        .handle(CounterService.INC, (p, ctx) -> {
          principal.set(ctx.principal().orElseThrow().getName());
          session.set(ctx.connection().orElseThrow().sslSession().orElseThrow());
          return new CounterService.Counter(p.key(), 1);
        }));

    try (TlsFrameClient c = TlsFrameClient.connect(server.port(), pki, true)) {
      assertResult(c.call(inc("a")));
    }
    assertThat(principal.get()).isEqualTo(TestPki.CLIENT_DN);
    assertThat(session.get().getProtocol()).startsWith("TLS");
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() {
    CounterService counters = new CounterService();
    KeelServer server = start(counters.registerOn(builder().tls(pki.serverPem(true))));

    Throwable t = catchThrowable(() -> {
      try (TlsFrameClient c = TlsFrameClient.connect(server.port(), pki, false)) {
        c.call(inc("a"));
      }
    });

    // TLS 1.3: the client's handshake may finish before the server's alert arrives; either way
    // no answer comes and nothing runs
    assertThat(t).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
    assertThat(counters.incRuns()).isZero();
  }

  @Test
  void clientCertificateAuthenticatorRefusesPlaintextConnections() throws IOException {
    CounterService counters = new CounterService();
    KeelServer server = start(counters.registerOn(builder()
        .authenticator(Authenticator.clientCertificate())));

    JsonNode answer = connect(server).call(inc("a"));

    assertError(answer, -32006);
    assertThat(counters.incRuns()).isZero();
  }
}

package io.keelrpc.client.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.KeelException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.TransportException;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.tls.TestPki;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.KeelServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over TLS and mutual TLS against a real {@link KeelServer} on loopback. */
class KeelClientTlsTest {
  record Name(String name) {}

  record Greeting(String text) {}

  static final MethodDescriptor<Name, Greeting> HELLO =
      MethodDescriptor.of("hello", Name.class, Greeting.class);

  @TempDir
  static Path dir;
  static TestPki pki;

  private final AtomicInteger runs = new AtomicInteger();

  @BeforeAll
  static void makeCertificates() {
    pki = TestPki.create(dir);
  }

  private KeelServer server(TlsConfig tls, Authenticator authenticator) {
    KeelServer.Builder b = KeelServer.builder().port(0).shutdownGracePeriod(Duration.ZERO)
        .tls(tls)
        .handle(HELLO, (p, ctx) -> {
          runs.incrementAndGet();
          String who = ctx.principal().map(java.security.Principal::getName).orElse("anonymous");
          return new Greeting("hello " + p.name() + " from " + who);
        });
    if (authenticator != null) {
      b.authenticator(authenticator);
    }
    return b.start();
  }

  private static KeelClient.Builder client(KeelServer server) {
    return KeelClient.builder().endpoint("127.0.0.1", server.port())
        .deadline(Duration.ofSeconds(3))
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build());
  }

  @Test
  void callRoundTripsOverTls() {
    try (KeelServer server = server(pki.serverPem(false), null);
        KeelClient client = client(server).tls(pki.client(false)).build()) {
      assertThat(client.call(HELLO, new Name("ann")).text()).isEqualTo("hello ann from anonymous");
      assertThat(client.call(HELLO, new Name("bo")).text()).isEqualTo("hello bo from anonymous");
    }
  }

  @Test
  void clientTrustingThePemCaVerifiesTheServersName() {
    TlsConfig tls = TlsConfig.builder().trustPem(pki.caPem()).build();
    try (KeelServer server = server(pki.serverPem(false), null);
        KeelClient client = client(server).tls(tls).build()) {
      assertThat(client.call(HELLO, new Name("ann")).text()).startsWith("hello ann");
    }
  }

  @Test
  void clientWithoutTrustInTheServersCaFailsWithTransportException() {
    TlsConfig jdkDefaultTrust = TlsConfig.builder().build();
    try (KeelServer server = server(pki.serverPem(false), null);
        KeelClient client = client(server).tls(jdkDefaultTrust).build()) {
      Throwable t = catchThrowable(() -> client.call(HELLO, new Name("ann")));

      assertThat(t).isInstanceOf(KeelException.class);
      assertThat(causes(t)).anyMatch(c -> c instanceof TransportException);
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void mutualTlsWithAClientCertificateAuthenticatesItsSubject() {
    try (KeelServer server = server(pki.serverPem(true), Authenticator.clientCertificate());
        KeelClient client = client(server).tls(pki.client(true)).build()) {
      assertThat(client.call(HELLO, new Name("ann")).text())
          .isEqualTo("hello ann from " + TestPki.CLIENT_DN);
    }
  }

  @Test
  void mutualTlsWithoutAClientCertificateFailsWithTransportException() {
    try (KeelServer server = server(pki.serverPem(true), Authenticator.clientCertificate());
        KeelClient client = client(server).tls(pki.client(false)).build()) {
      Throwable t = catchThrowable(() -> client.call(HELLO, new Name("ann")));

      assertThat(causes(t)).anyMatch(c -> c instanceof TransportException);
      assertThat(runs).hasValue(0);
    }
  }

  @Test
  void plaintextClientCannotCallATlsServer() {
    try (KeelServer server = server(pki.serverPem(false), null);
        KeelClient client = client(server).build()) {
      assertThatThrownBy(() -> client.call(HELLO, new Name("ann")))
          .isInstanceOf(KeelException.class);
      assertThat(runs).hasValue(0);
    }
  }

  private static java.util.List<Throwable> causes(Throwable t) {
    java.util.List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }
}

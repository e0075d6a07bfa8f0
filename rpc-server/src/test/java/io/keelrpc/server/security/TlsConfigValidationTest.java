package io.keelrpc.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.KeelServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TlsConfig} and the server's security options validate as soon as they are set. */
class TlsConfigValidationTest {
  @Test
  void keyMaterialCanBeSetOnce() {
    TlsConfig.Builder b = TlsConfig.builder().keyPem(Path.of("a.pem"), Path.of("a.key"));

    assertThatThrownBy(() -> b.keyStore(Path.of("a.p12"), new char[0]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("key material");
  }

  @Test
  void trustCanBeSetOnce() {
    TlsConfig.Builder b = TlsConfig.builder().trustPem(Path.of("ca.pem"));

    assertThatThrownBy(() -> b.trustStore(Path.of("t.p12"), new char[0]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("trust");
  }

  @Test
  void requireClientAuthNeedsTrust() {
    TlsConfig.Builder b = TlsConfig.builder().keyPem(Path.of("a.pem"), Path.of("a.key"))
        .requireClientAuth(true);

    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("requireClientAuth");
  }

  @Test
  void keystorePasswordIsCopied() {
    char[] password = "secret".toCharArray();
    TlsConfig tls = TlsConfig.builder().keyStore(Path.of("a.p12"), password).build();
    password[0] = 'X';

    assertThat(tls.keyStorePassword()).containsExactly("secret".toCharArray());
    assertThat(tls.verifyHostname()).isTrue();
    assertThat(tls.requireClientAuth()).isFalse();
  }

  @Test
  void serverWithoutKeyMaterialFailsToStart() {
    KeelServer.Builder b = KeelServer.builder().port(0)
        .tls(TlsConfig.builder().trustPem(Path.of("ca.pem")).build());

    assertThatThrownBy(b::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key material");
  }

  @Test
  void serverWithMissingPemFilesFailsToStart() {
    KeelServer.Builder b = KeelServer.builder().port(0)
        .tls(TlsConfig.builder().keyPem(Path.of("missing.pem"), Path.of("missing.key")).build());

    assertThatThrownBy(b::start).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls");
  }

  @Test
  void tlsAndAuthenticatorCanBeSetOnce() {
    KeelServer.Builder b = KeelServer.builder()
        .tls(TlsConfig.builder().keyPem(Path.of("a.pem"), Path.of("a.key")).build())
        .authenticator(Authenticator.bearerTokens(Map.of("t", "n")));

    assertThatThrownBy(() -> b.tls(TlsConfig.builder().build()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.authenticator(Authenticator.clientCertificate()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bearerTokensRefuseEmptyTokens() {
    assertThatThrownBy(() -> Authenticator.bearerTokens(Map.of("", "alice")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

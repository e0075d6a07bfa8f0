package io.keelrpc.core.tls.internal;

import io.keelrpc.core.tls.TlsConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Turns a {@link TlsConfig} into a Netty {@link SslContext} on the JDK provider. */
public final class SslContexts {
  private SslContexts() {}

  /**
   * The server context.
   *
   * @throws IllegalArgumentException if the config has no key material, or a file cannot be read
   */
  public static SslContext forServer(TlsConfig tls) {
    if (!tls.hasKeyMaterial()) {
      throw new IllegalArgumentException("tls: no key material (expected: keyPem, keyStore or "
          + "keyManager for a server)");
    }
    try {
      SslContextBuilder b;
      if (tls.certChainPem().isPresent()) {
        b = SslContextBuilder.forServer(tls.certChainPem().get().toFile(),
            tls.privateKeyPem().orElseThrow().toFile());
      } else {
        b = SslContextBuilder.forServer(keyManager(tls));
      }
      trust(b, tls);
      b.clientAuth(tls.requireClientAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE);
      return b.sslProvider(SslProvider.JDK).build();
    } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: cannot build the server context from " + tls
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * The client context.
   *
   * @throws IllegalArgumentException if a file cannot be read
   */
  public static SslContext forClient(TlsConfig tls) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient();
      if (tls.certChainPem().isPresent()) {
        b.keyManager(tls.certChainPem().get().toFile(), tls.privateKeyPem().orElseThrow().toFile());
      } else if (tls.hasKeyMaterial()) {
        b.keyManager(keyManager(tls));
      }
      trust(b, tls);
      return b.sslProvider(SslProvider.JDK).build();
    } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: cannot build the client context from " + tls
          + ": " + e.getMessage(), e);
    }
  }

  private static KeyManagerFactory keyManager(TlsConfig tls)
      throws IOException, GeneralSecurityException {
    if (tls.keyManager().isPresent()) {
      return tls.keyManager().get();
    }
    char[] password = tls.keyStorePassword();
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(tls.keyStore().orElseThrow(), password), password);
    return kmf;
  }

  private static void trust(SslContextBuilder b, TlsConfig tls)
      throws IOException, GeneralSecurityException {
    if (tls.trustPem().isPresent()) {
      b.trustManager(tls.trustPem().get().toFile());
    } else if (tls.trustStore().isPresent()) {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(tls.trustStore().get(), tls.trustStorePassword()));
      b.trustManager(tmf);
    } else if (tls.trustManager().isPresent()) {
      b.trustManager(tls.trustManager().get());
    }
  }

  private static KeyStore load(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, password);
      return ks;
    }
  }
}

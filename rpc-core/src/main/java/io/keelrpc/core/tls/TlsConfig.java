package io.keelrpc.core.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings of a Keel server or client: this side's own certificate and key (the "key
 * material"), the certificates it trusts, and whether the server demands a client certificate
 * (mutual TLS). Immutable; build one with {@link #builder()} and pass it to
 * {@code KeelServer.Builder.tls} or {@code KeelClient.Builder.tls}. TLS runs on the JDK's own
 * provider (no native library); the JDK's default protocols (TLS 1.3 and 1.2) and cipher suites
 * apply.
 *
 * <pre>{@code
 * // server with mutual TLS: its own certificate, and clients must present one signed by ca.pem
 * TlsConfig serverTls = TlsConfig.builder()
 *     .keyPem(Path.of("server.pem"), Path.of("server.key"))   // PKCS#8 key, unencrypted
 *     .trustPem(Path.of("ca.pem"))
 *     .requireClientAuth(true)
 *     .build();
 * // client: trusts ca.pem, presents its own certificate from a PKCS#12 keystore
 * TlsConfig clientTls = TlsConfig.builder()
 *     .trustPem(Path.of("ca.pem"))
 *     .keyStore(Path.of("client.p12"), password)
 *     .build();
 * }</pre>
 *
 * <p>Key material comes from exactly one of {@link Builder#keyPem}, {@link Builder#keyStore} or
 * {@link Builder#keyManager}; trust from at most one of {@link Builder#trustPem},
 * {@link Builder#trustStore} or {@link Builder#trustManager} (none: the JDK's default trust
 * store). A server needs key material; a client needs it only for mutual TLS. Files are read when
 * the server starts or the client is built, so a missing or bad file fails there.
 */
public final class TlsConfig {
  private final Path certChainPem;
  private final Path privateKeyPem;
  private final Path keyStore;
  private final char[] keyStorePassword;
  private final KeyManagerFactory keyManager;
  private final Path trustPem;
  private final Path trustStore;
  private final char[] trustStorePassword;
  private final TrustManagerFactory trustManager;
  private final boolean requireClientAuth;
  private final boolean verifyHostname;

  private TlsConfig(Builder b) {
    this.certChainPem = b.certChainPem;
    this.privateKeyPem = b.privateKeyPem;
    this.keyStore = b.keyStore;
    this.keyStorePassword = b.keyStorePassword;
    this.keyManager = b.keyManager;
    this.trustPem = b.trustPem;
    this.trustStore = b.trustStore;
    this.trustStorePassword = b.trustStorePassword;
    this.trustManager = b.trustManager;
    this.requireClientAuth = b.requireClientAuth;
    this.verifyHostname = b.verifyHostname;
  }

  /** A builder; every option is documented on its method. */
  public static Builder builder() {
    return new Builder();
  }

  /** The PEM certificate chain set with {@link Builder#keyPem}, if any. */
  public Optional<Path> certChainPem() {
    return Optional.ofNullable(certChainPem);
  }

  /** The PEM (PKCS#8) private key set with {@link Builder#keyPem}, if any. */
  public Optional<Path> privateKeyPem() {
    return Optional.ofNullable(privateKeyPem);
  }

  /** The keystore set with {@link Builder#keyStore}, if any. */
  public Optional<Path> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  /** A copy of the password of {@link #keyStore()} (empty array if none). */
  public char[] keyStorePassword() {
    return keyStorePassword == null ? new char[0] : keyStorePassword.clone();
  }

  /** The key manager set with {@link Builder#keyManager}, if any. */
  public Optional<KeyManagerFactory> keyManager() {
    return Optional.ofNullable(keyManager);
  }

  /** The PEM file of trusted certificates set with {@link Builder#trustPem}, if any. */
  public Optional<Path> trustPem() {
    return Optional.ofNullable(trustPem);
  }

  /** The trust store set with {@link Builder#trustStore}, if any. */
  public Optional<Path> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /** A copy of the password of {@link #trustStore()} (empty array if none). */
  public char[] trustStorePassword() {
    return trustStorePassword == null ? new char[0] : trustStorePassword.clone();
  }

  /** The trust manager set with {@link Builder#trustManager}, if any. */
  public Optional<TrustManagerFactory> trustManager() {
    return Optional.ofNullable(trustManager);
  }

  /** True if any key material was configured. */
  public boolean hasKeyMaterial() {
    return certChainPem != null || keyStore != null || keyManager != null;
  }

  /** True if trust was configured (false: the JDK's default trust store). */
  public boolean hasTrust() {
    return trustPem != null || trustStore != null || trustManager != null;
  }

  /** Whether a server refuses clients without a trusted certificate (mutual TLS). */
  public boolean requireClientAuth() {
    return requireClientAuth;
  }

  /** Whether a client checks that the server's certificate names the host it dialled. */
  public boolean verifyHostname() {
    return verifyHostname;
  }

  @Override
  public String toString() {
    return "TlsConfig[key=" + (certChainPem != null ? certChainPem
        : keyStore != null ? keyStore : keyManager != null ? "KeyManagerFactory" : "none")
        + ", trust=" + (trustPem != null ? trustPem : trustStore != null ? trustStore
        : trustManager != null ? "TrustManagerFactory" : "JDK default")
        + ", requireClientAuth=" + requireClientAuth + ", verifyHostname=" + verifyHostname + "]";
  }

  /** Builds a {@link TlsConfig}; each source may be set once. */
  public static final class Builder {
    private Path certChainPem;
    private Path privateKeyPem;
    private Path keyStore;
    private char[] keyStorePassword;
    private KeyManagerFactory keyManager;
    private Path trustPem;
    private Path trustStore;
    private char[] trustStorePassword;
    private TrustManagerFactory trustManager;
    private boolean requireClientAuth;
    private boolean verifyHostname = true;

    private Builder() {}

    /**
     * This side's certificate chain (PEM, leaf first) and its private key (PEM, unencrypted
     * PKCS#8: {@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalStateException if key material was already set
     */
    public Builder keyPem(Path certChainPem, Path privateKeyPem) {
      Objects.requireNonNull(certChainPem, "certChainPem");
      Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      checkNoKey();
      this.certChainPem = certChainPem;
      this.privateKeyPem = privateKeyPem;
      return this;
    }

    /**
     * This side's certificate and key from a keystore file (PKCS#12, or any type the JDK detects)
     * holding one private-key entry; {@code password} protects both store and key.
     *
     * @throws IllegalStateException if key material was already set
     */
    public Builder keyStore(Path keyStore, char[] password) {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
      checkNoKey();
      this.keyStore = keyStore;
      this.keyStorePassword = password.clone();
      return this;
    }

    /**
     * This side's certificate and key from an initialised {@link KeyManagerFactory}.
     *
     * @throws IllegalStateException if key material was already set
     */
    public Builder keyManager(KeyManagerFactory keyManager) {
      Objects.requireNonNull(keyManager, "keyManager");
      checkNoKey();
      this.keyManager = keyManager;
      return this;
    }

    /**
     * Trusts the certificates in a PEM file (typically the CA that signed the peer's certificate).
     *
     * @throws IllegalStateException if trust was already set
     */
    public Builder trustPem(Path trustedCertsPem) {
      Objects.requireNonNull(trustedCertsPem, "trustedCertsPem");
      checkNoTrust();
      this.trustPem = trustedCertsPem;
      return this;
    }

    /**
     * Trusts the certificate entries of a keystore file (PKCS#12 or any type the JDK detects).
     *
     * @throws IllegalStateException if trust was already set
     */
    public Builder trustStore(Path trustStore, char[] password) {
      Objects.requireNonNull(trustStore, "trustStore");
      Objects.requireNonNull(password, "password");
      checkNoTrust();
      this.trustStore = trustStore;
      this.trustStorePassword = password.clone();
      return this;
    }

    /**
     * Trusts what an initialised {@link TrustManagerFactory} trusts.
     *
     * @throws IllegalStateException if trust was already set
     */
    public Builder trustManager(TrustManagerFactory trustManager) {
      Objects.requireNonNull(trustManager, "trustManager");
      checkNoTrust();
      this.trustManager = trustManager;
      return this;
    }

    /**
     * Server side: refuse the TLS handshake of a client that presents no certificate, or one not
     * signed by a trusted certificate (default false: client certificates are neither requested
     * nor checked). Needs trust to be set. Ignored by a client.
     */
    public Builder requireClientAuth(boolean require) {
      this.requireClientAuth = require;
      return this;
    }

    /**
     * Client side: check that the server's certificate names the host the client dialled, as
     * HTTPS does (default true). Turn off only when certificates carry no usable names; trust is
     * still checked. Ignored by a server.
     */
    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalStateException if {@code requireClientAuth} is set without trust
     */
    public TlsConfig build() {
      if (requireClientAuth && trustPem == null && trustStore == null && trustManager == null) {
        throw new IllegalStateException(
            "requireClientAuth: true without trust (expected: trustPem, trustStore or trustManager)");
      }
      return new TlsConfig(this);
    }

    private void checkNoKey() {
      if (certChainPem != null || keyStore != null || keyManager != null) {
        throw new IllegalStateException("key material: already set (expected: one of keyPem, "
            + "keyStore, keyManager)");
      }
    }

    private void checkNoTrust() {
      if (trustPem != null || trustStore != null || trustManager != null) {
        throw new IllegalStateException("trust: already set (expected: one of trustPem, "
            + "trustStore, trustManager)");
      }
    }
  }
}

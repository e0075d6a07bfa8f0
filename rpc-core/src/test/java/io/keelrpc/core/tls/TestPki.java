package io.keelrpc.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away public-key infrastructure for tests, made at test time with the JDK's
 * {@code keytool} (no keys are committed and no extra library is needed): a CA, a server
 * certificate for {@code localhost} / {@code 127.0.0.1} and a client certificate, both signed by
 * the CA, as PKCS#12 keystores and as PEM files.
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * static TestPki pki;
 * @BeforeAll static void pki() { pki = TestPki.create(dir); }
 * }</pre>
 */
public final class TestPki {
  /** The password of every keystore made here. */
  public static final char[] PASSWORD = "changeit".toCharArray();

  private final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  /** Makes a CA and server and client certificates in {@code dir} (about a dozen keytool runs). */
  public static TestPki create(Path dir) {
    TestPki pki = new TestPki(dir);
    try {
      pki.make();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make test certificates in " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return pki;
  }

  /** The CA certificate, PEM. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** A PKCS#12 trust store holding the CA certificate. */
  public Path trustStore() {
    return dir.resolve("trust.p12");
  }

  /** The server's keystore (key and chain), PKCS#12. */
  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  /** The server's certificate chain, PEM. */
  public Path serverCertPem() {
    return dir.resolve("server-chain.pem");
  }

  /** The server's private key, PEM (PKCS#8). */
  public Path serverKeyPem() {
    return dir.resolve("server-key.pem");
  }

  /** The client's keystore (key and chain), PKCS#12; its subject is {@link #CLIENT_DN}. */
  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** The subject of the client certificate. */
  public static final String CLIENT_DN = "CN=alice,O=Keel Test";

  /** A server config from PEM files, optionally requiring client certificates. */
  public TlsConfig serverPem(boolean requireClientAuth) {
    TlsConfig.Builder b = TlsConfig.builder().keyPem(serverCertPem(), serverKeyPem());
    if (requireClientAuth) {
      b.trustPem(caPem()).requireClientAuth(true);
    }
    return b.build();
  }

  /** A client config trusting the CA, with the client certificate if {@code withCert}. */
  public TlsConfig client(boolean withCert) {
    TlsConfig.Builder b = TlsConfig.builder().trustStore(trustStore(), PASSWORD);
    if (withCert) {
      b.keyStore(clientKeyStore(), PASSWORD);
    }
    return b.build();
  }

  private void make() throws IOException, GeneralSecurityException, InterruptedException {
    String pw = new String(PASSWORD);
    Path ca = dir.resolve("ca.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=Keel Test CA", "-ext", "bc:c", "-validity", "2",
        "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", pw);
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw,
        "-file", caPem().toString());
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(),
        "-keystore", trustStore().toString(), "-storetype", "PKCS12", "-storepass", pw);
    leaf("server", "CN=localhost,O=Keel Test", "SAN=dns:localhost,ip:127.0.0.1", ca, pw);
    leaf("client", CLIENT_DN, null, ca, pw);
    writePem(serverKeyStore(), "server", serverCertPem(), serverKeyPem());
  }

  private void leaf(String name, String dn, String san, Path ca, String pw)
      throws IOException, InterruptedException {
    Path ks = dir.resolve(name + ".p12");
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", dn, "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", pw);
    keytool("-certreq", "-alias", name, "-keystore", ks.toString(), "-storepass", pw,
        "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca",
        "-keystore", ca.toString(), "-storepass", pw, "-infile", csr.toString(),
        "-outfile", crt.toString(), "-validity", "2"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(gencert.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem().toString(),
        "-keystore", ks.toString(), "-storepass", pw);
    keytool("-importcert", "-alias", name, "-file", crt.toString(), "-keystore", ks.toString(),
        "-storepass", pw);
  }

  private static void writePem(Path keyStore, String alias, Path chainPem, Path keyPem)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, PASSWORD);
    }
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    StringBuilder chain = new StringBuilder();
    for (Certificate c : ks.getCertificateChain(alias)) {
      chain.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    Files.writeString(chainPem, chain.toString(), StandardCharsets.US_ASCII);
    Key key = ks.getKey(alias, PASSWORD);
    Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
        + b64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n",
        StandardCharsets.US_ASCII);
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: "
          + new String(out, StandardCharsets.UTF_8));
    }
  }
}

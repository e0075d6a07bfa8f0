package io.keelrpc.examples.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate for {@code localhost} and {@code 127.0.0.1}, made with the
 * JDK's {@code keytool} in two runs (rpc-core's {@code TestPki} makes a whole CA in about a dozen,
 * which the TLS recipe does not need): the key and certificate as a PKCS#12 keystore, and the
 * certificate alone as PEM for the client to trust.
 *
 * @param keyStore the server's key and certificate, PKCS#12, protected by {@link #PASSWORD}
 * @param certificatePem the certificate, PEM: what the client trusts
 */
record SelfSignedCertificate(Path keyStore, Path certificatePem) {
  /** The keystore's password. */
  static final char[] PASSWORD = "changeit".toCharArray();

  /** Makes the keystore and the PEM file in {@code dir}. */
  static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
    SelfSignedCertificate c = new SelfSignedCertificate(dir.resolve("server.p12"),
        dir.resolve("server.pem"));
    String pw = new String(PASSWORD);
    keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost,O=Keel Docs", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-keystore", c.keyStore.toString(), "-storetype", "PKCS12",
        "-storepass", pw);
    keytool(dir, "-exportcert", "-rfc", "-alias", "server", "-keystore", c.keyStore.toString(),
        "-storepass", pw, "-file", c.certificatePem.toString());
    return c;
  }

  private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("keytool " + String.join(" ", args) + " failed: "
          + new String(out, StandardCharsets.UTF_8));
    }
  }
}

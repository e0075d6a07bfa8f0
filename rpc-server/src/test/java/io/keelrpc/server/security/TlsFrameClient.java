package io.keelrpc.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keelrpc.core.tls.TestPki;
import io.keelrpc.server.FrameClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A raw {@code keel/1} peer over a JDK {@link SSLSocket}: one frame out, one frame back. */
final class TlsFrameClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SSLSocket socket;

  private TlsFrameClient(SSLSocket socket) {
    this.socket = socket;
  }

  /**
   * Connects to loopback {@code port} trusting the test CA, presenting the client certificate if
   * {@code withCert}, and completes the handshake.
   */
  static TlsFrameClient connect(int port, TestPki pki, boolean withCert)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(load(pki.trustStore()));
    KeyManagerFactory kmf = null;
    if (withCert) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(pki.clientKeyStore()), TestPki.PASSWORD);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
    s.setSoTimeout(FrameClient.READ_TIMEOUT_MS);
    s.startHandshake();
    return new TlsFrameClient(s);
  }

  private static KeyStore load(Path p) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p)) {
      ks.load(in, TestPki.PASSWORD);
    }
    return ks;
  }

  /** Sends {@code json} as one frame and reads one frame back. */
  JsonNode call(String json) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(FrameClient.frame(json.getBytes(StandardCharsets.UTF_8)));
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int length = in.readInt();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return JSON.readTree(payload);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

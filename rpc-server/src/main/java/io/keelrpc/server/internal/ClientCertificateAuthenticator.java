package io.keelrpc.server.internal;

import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.ConnectionInfo;
import java.security.Principal;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** {@link Authenticator#clientCertificate()}. */
public final class ClientCertificateAuthenticator implements Authenticator {
  /** The one instance. */
  public static final ClientCertificateAuthenticator INSTANCE =
      new ClientCertificateAuthenticator();

  private ClientCertificateAuthenticator() {}

  @Override
  public Principal authenticate(String authorization, ConnectionInfo connection) {
    SSLSession session = connection == null ? null : connection.sslSession().orElse(null);
    if (session == null) {
      throw new UnauthenticatedException("a client certificate is required (connect with TLS)");
    }
    try {
      return session.getPeerPrincipal();
    } catch (SSLPeerUnverifiedException e) {
      throw new UnauthenticatedException("a client certificate is required; none was verified");
    }
  }
}

package io.keelrpc.server;

import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.server.internal.BearerTokenAuthenticator;
import io.keelrpc.server.internal.ClientCertificateAuthenticator;
import java.security.Principal;
import java.util.Map;
import java.util.Objects;

/**
 * Decides who is calling, once per request, before anything else is checked (only a server that
 * is shutting down answers first). The returned {@link Principal} is the call's
 * {@link CallContext#principal()} and scopes the idempotency cache: a call is deduplicated only
 * against earlier calls of the principal with the same {@link Principal#getName() name}, so one
 * client never receives another's cached answer. A request that fails authentication is answered
 * {@code UNAUTHENTICATED} (-32006); its handler does not run and the connection stays open.
 *
 * <pre>{@code
 * KeelServer.builder()
 *     .tls(serverTls)
 *     .authenticator(Authenticator.bearerTokens(Map.of("s3cret-1", "alice", "s3cret-2", "bob")))
 *     ...
 * }</pre>
 *
 * <p>It runs on the connection's I/O thread for every request (streams and Go
 * {@code net/rpc/jsonrpc} connections included; Go requests carry no {@code meta}, so they have
 * no {@code authorization} and only a connection-based authenticator such as
 * {@link #clientCertificate()} can accept them): it must be quick and must not block. Look tokens
 * up in memory; cache anything slower.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * The caller of one request.
   *
   * @param authorization the request's {@code meta.authorization} (e.g. {@code "Bearer abc"}), or
   *     null if it sent none
   * @param connection the connection it arrived on (its TLS session, if any, through
   *     {@link ConnectionInfo#sslSession()}), or null if the transport has none
   * @return the principal; null rejects the call with a generic message
   * @throws UnauthenticatedException to reject it with a message of the authenticator's choice
   *     (it is sent to the caller: do not put secrets in it)
   */
  Principal authenticate(String authorization, ConnectionInfo connection)
      throws UnauthenticatedException;

  /**
   * Accepts requests whose {@code meta.authorization} is {@code "Bearer <token>"} with a token in
   * {@code tokens}, as the principal named by the token's value (token to name; the map is
   * copied). Two tokens may name the same principal, which then shares its idempotency scope.
   *
   * @throws IllegalArgumentException if a token or name is empty
   */
  static Authenticator bearerTokens(Map<String, String> tokens) {
    return new BearerTokenAuthenticator(tokens);
  }

  /**
   * Accepts requests on TLS connections whose client presented a certificate (configure the server
   * with {@code TlsConfig.Builder.requireClientAuth(true)} so that it is verified), as the
   * certificate's subject ({@link javax.security.auth.x500.X500Principal}, e.g.
   * {@code CN=alice,O=Example}). Requests on other connections are rejected.
   */
  static Authenticator clientCertificate() {
    return ClientCertificateAuthenticator.INSTANCE;
  }

  /**
   * This authenticator, falling back to {@code other} when this one rejects (returns null or
   * throws {@link UnauthenticatedException}); the rejection of {@code other} is the answer.
   * E.g. {@code clientCertificate().or(bearerTokens(tokens))}.
   */
  default Authenticator or(Authenticator other) {
    Objects.requireNonNull(other, "other");
    return (authorization, connection) -> {
      Principal p;
      try {
        p = authenticate(authorization, connection);
      } catch (UnauthenticatedException e) {
        p = null;
      }
      return p != null ? p : other.authenticate(authorization, connection);
    };
  }
}

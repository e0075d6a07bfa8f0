package io.keelrpc.server.internal;

import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.ConnectionInfo;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** {@link Authenticator#bearerTokens(Map)}. */
public final class BearerTokenAuthenticator implements Authenticator {
  private static final String SCHEME = "Bearer ";
  private final Map<String, Principal> principals = new HashMap<>();

  /** Tokens to principal names; copied. */
  public BearerTokenAuthenticator(Map<String, String> tokens) {
    Objects.requireNonNull(tokens, "tokens");
    tokens.forEach((token, name) -> {
      if (token == null || token.isEmpty() || name == null || name.isEmpty()) {
        throw new IllegalArgumentException("tokens: an empty or null token or name (expected: "
            + "non-empty strings)");
      }
      principals.put(token, new NamedPrincipal(name));
    });
  }

  @Override
  public Principal authenticate(String authorization, ConnectionInfo connection) {
    if (authorization == null) {
      throw new UnauthenticatedException("authentication required: send "
          + "\"meta.authorization\":\"Bearer <token>\"");
    }
    if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new UnauthenticatedException("unsupported authorization scheme (expected: Bearer)");
    }
    Principal p = principals.get(authorization.substring(SCHEME.length()).trim());
    if (p == null) {
      throw new UnauthenticatedException("invalid bearer token");
    }
    return p;
  }

  /** A principal that is just a name. */
  record NamedPrincipal(String getName) implements Principal {
    @Override
    public String toString() {
      return getName;
    }
  }
}

package io.keelrpc.server.internal;

import io.keelrpc.core.RpcException;
import io.keelrpc.core.UnauthenticatedException;
import io.keelrpc.core.wire.Request;
import io.keelrpc.server.Authenticator;
import io.keelrpc.server.ConnectionInfo;
import java.security.Principal;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an {@link Authenticator} for the {@link Dispatcher} and scopes idempotency keys. */
final class Authentication {
  private static final Logger log = LoggerFactory.getLogger(Authentication.class);
  /** Separates the principal's name from the caller's key; cannot occur in a name we accept. */
  static final char SEPARATOR = '\u0000';

  private Authentication() {}

  /**
   * The caller's principal.
   *
   * @throws RpcException UNAUTHENTICATED if the authenticator rejects the request (or fails, which
   *     is logged and also rejects: failing closed)
   */
  static Principal authenticate(Authenticator authenticator, Request req,
      ConnectionInfo connection) {
    Principal p;
    try {
      p = authenticator.authenticate(req.meta().authorization(), connection);
    } catch (UnauthenticatedException e) {
      throw e;
    } catch (RuntimeException e) {
      String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
      log.warn("authenticator failed on \"{}\" (ref {}); rejecting the call", req.method(), ref,
          e);
      throw new UnauthenticatedException("authentication failed; see the server log, ref " + ref);
    }
    if (p == null || p.getName() == null) {
      throw new UnauthenticatedException(req.meta().authorization() == null
          ? "authentication required" : "credentials rejected");
    }
    return p;
  }

  /**
   * The key the idempotency store sees: the caller's key qualified by the principal's name, so
   * that two principals never share an entry; unchanged without a principal; null without a key.
   */
  static String scopedKey(Principal principal, String key) {
    if (key == null || principal == null) {
      return key;
    }
    return principal.getName() + SEPARATOR + key;
  }
}

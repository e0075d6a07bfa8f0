package io.keelrpc.core.tls.internal;

import io.keelrpc.core.tls.TlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A client's TLS: the context and whether the server's certificate must name the host dialled.
 *
 * @param context the client context, see {@link SslContexts#forClient}
 * @param verifyHostname whether to check the server's name as HTTPS does
 */
public record ClientSsl(SslContext context, boolean verifyHostname) {
  /** The client TLS of {@code tls}; reads its files now. */
  public static ClientSsl of(TlsConfig tls) {
    return new ClientSsl(SslContexts.forClient(tls), tls.verifyHostname());
  }

  /** A handler for one connection to {@code host:port} (used for SNI and name checks). */
  public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
    SslHandler h = context.newHandler(alloc, host, port);
    if (verifyHostname) {
      SSLEngine engine = h.engine();
      SSLParameters params = engine.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(params);
    }
    return h;
  }
}

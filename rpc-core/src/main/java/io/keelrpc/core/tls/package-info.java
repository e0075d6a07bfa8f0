/**
 * TLS settings shared by the Keel server and client: {@link io.keelrpc.core.tls.TlsConfig}. See
 * {@code docs/security.md}.
 */
package io.keelrpc.core.tls;

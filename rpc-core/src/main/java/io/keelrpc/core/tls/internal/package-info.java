/** Not API: building Netty TLS contexts from {@link io.keelrpc.core.tls.TlsConfig}. */
package io.keelrpc.core.tls.internal;

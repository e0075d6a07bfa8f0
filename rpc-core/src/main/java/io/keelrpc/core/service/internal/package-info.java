/** The mapping of service interfaces shared by client proxies and server exports; not API. */
package io.keelrpc.core.service.internal;

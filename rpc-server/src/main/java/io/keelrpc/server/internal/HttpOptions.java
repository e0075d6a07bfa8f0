package io.keelrpc.server.internal;

import java.util.function.Supplier;

/**
 * What the HTTP side of a server serves besides {@code POST /rpc} and {@code /health}, as set on
 * {@link io.keelrpc.server.KeelServer.Builder}.
 *
 * @param metrics the Prometheus text {@code GET /metrics} answers, or {@code null}: not
 *     configured ({@code GET /metrics} answers 404 saying how to configure it)
 */
public record HttpOptions(Supplier<String> metrics) {}

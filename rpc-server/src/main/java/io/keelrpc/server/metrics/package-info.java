/**
 * Server metrics through Micrometer, an optional dependency: only this package refers to it, so
 * a server without Micrometer on its class path works as before. See {@code docs/metrics.md}.
 */
package io.keelrpc.server.metrics;

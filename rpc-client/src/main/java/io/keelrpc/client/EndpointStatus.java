package io.keelrpc.client;

import java.net.InetSocketAddress;

/**
 * A snapshot of one endpoint as the client sees it, from {@link KeelClient#endpoints()}: for
 * dashboards, health pages and tests.
 *
 * @param address the endpoint, as its {@link EndpointSource} gave it
 * @param healthy false from a failed connection attempt or a lost connection until the next
 *     successful connection; calls go to healthy endpoints only, unless none is healthy
 * @param connected true while the endpoint's connection is open
 * @param outstandingCalls calls waiting for an answer on the connection, plus calls waiting for
 *     it to open: the load that power-of-two-choices compares
 * @param consecutiveFailures connection failures since the last successful connection (0 when
 *     healthy); the background reconnect waits longer after each one
 */
public record EndpointStatus(InetSocketAddress address, boolean healthy, boolean connected,
    int outstandingCalls, int consecutiveFailures) {}

package io.keelrpc.client.occ.internal;

import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import java.util.function.DoubleSupplier;

/**
 * The immutable configuration an {@link io.keelrpc.client.occ.OccUpdater} hands to each update.
 *
 * @param maxNetworkRetries retries of one store call after network failures in a row
 * @param networkBackoff the waits between those retries
 * @param scheduler where waits and deadline timers run
 * @param random uniform numbers in [0, 1) for jitter
 */
public record Settings(int maxNetworkRetries, RetryPolicy networkBackoff, Scheduler scheduler,
    DoubleSupplier random) {}

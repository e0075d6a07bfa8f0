package io.keelrpc.client.stream.resume.internal;

import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.time.Scheduler;
import io.keelrpc.core.time.Ticker;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;

/**
 * The immutable configuration a {@link io.keelrpc.client.stream.resume.ResumableStream} hands to
 * its engine.
 *
 * @param window how many sequence numbers ahead of the next expected one are accepted
 * @param gapTimeoutNanos how long a missing number may stay missing before it is asked for
 * @param reconnectBackoff the waits between reconnects and their limit
 * @param fromSeq the first sequence number wanted
 * @param ticker the time source of gap due times
 * @param scheduler where timers (and, without an executor, deliveries) run
 * @param random uniform numbers in [0, 1) for jitter
 * @param executor where the consumer runs; {@code null} for the scheduler
 */
public record Settings(int window, long gapTimeoutNanos, RetryPolicy reconnectBackoff,
    long fromSeq, Ticker ticker, Scheduler scheduler, DoubleSupplier random, Executor executor) {}

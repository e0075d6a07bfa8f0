/**
 * Seeded, reproducible fault injection for tests of services built on Keel: a
 * {@link io.keelrpc.core.fault.FaultInjector} configured with {@link io.keelrpc.core.fault.FaultRule}s
 * (in code or from JSON) drops requests or answers, delays messages, duplicates requests and
 * closes connections mid-call, on the client or on the server side.
 *
 * <p>Every decision is a pure function of the seed and of the call (method, id, attempt), so a
 * failure found with seed S replays with seed S. See {@code docs/fault-injection.md}.
 */
package io.keelrpc.core.fault;

/**
 * The chaos soak: concurrent OCC clients against the KV example in a child JVM under injected
 * faults and SIGKILL restarts, every operation recorded in a {@link io.keelrpc.examples.chaos.History}
 * and checked by {@link io.keelrpc.examples.chaos.HistoryChecker} (lost and doubled writes,
 * counters, per-key linearizability of a versioned register). See {@code docs/chaos.md}.
 */
package io.keelrpc.examples.chaos;

/**
 * Seed 001's durable event log ("Problem 3"): a seeded {@link
 * io.keelrpc.examples.eventlog.MessageSource} with loss, reordering, duplicates, CRC32
 * corruption, retransmission on request and random process termination with resumable state;
 * an {@link io.keelrpc.examples.eventlog.EventLogger} that reorders in a bounded buffer and
 * appends {@code sequence,timestamp,payload_hex,status} lines to an append-only
 * {@link io.keelrpc.examples.eventlog.EventLogFile}, resuming from the file after a crash; the
 * seed's metrics ({@link io.keelrpc.examples.eventlog.EventLogMetrics}); the in-process
 * restart loop ({@link io.keelrpc.examples.eventlog.EventLogRun}) and the {@code event-log}
 * command. See docs/eventlog.md.
 */
package io.keelrpc.examples.eventlog;

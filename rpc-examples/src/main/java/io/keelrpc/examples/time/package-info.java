/**
 * The time service of seed {@code 004_292a3b7af85865bd.txt}: a stream of time updates that a Go
 * {@code net/rpc/jsonrpc} client follows one call at a time
 * ({@link io.keelrpc.examples.time.TimeService}), the pacing and content of a stream
 * ({@link io.keelrpc.examples.time.TimeStream}), the seed's error codes
 * ({@link io.keelrpc.examples.time.TimeErrors}) and the {@code time-server} command. The Go
 * program that calls it lives in {@code rpc-examples/src/test/go}; docs/protocol.md describes the
 * Go wire conventions.
 */
package io.keelrpc.examples.time;

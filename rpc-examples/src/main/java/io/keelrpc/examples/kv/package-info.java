/**
 * The versioned key-value example: {@link io.keelrpc.examples.kv.KvService} ({@code kv.get},
 * {@code kv.put}) over any {@link io.keelrpc.examples.kv.storage.KvStorage}, the client adapter
 * {@link io.keelrpc.examples.kv.KvClient} for the OCC retry engine, and the {@code kv-server}
 * command. docs/kv.md describes the API, the backends and their crash guarantees.
 */
package io.keelrpc.examples.kv;

/**
 * Storage backends of the KV example behind one small interface,
 * {@link io.keelrpc.examples.kv.storage.KvStorage}: in memory, an append-only log with CRCs,
 * torn-tail recovery and compaction, and SQLite. The versioning contract, including the writer-id
 * history that lets a retrying client recognise its own applied write, is the same for all three.
 */
package io.keelrpc.examples.kv.storage;

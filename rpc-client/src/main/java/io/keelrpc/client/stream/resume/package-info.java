/**
 * Resumable sequenced streams: {@link io.keelrpc.client.stream.resume.ResumableStream} reads a
 * {@link io.keelrpc.client.stream.resume.SequencedSource} whose transport may lose, duplicate and
 * reorder items and drop its connection, and delivers every item to the application exactly once,
 * in sequence order — dropping duplicates, reordering within a bounded window, asking for the
 * retransmission of gaps that persist, and reconnecting with jittered backoff from the last
 * delivered sequence number.
 *
 * <p>The layer is transport-agnostic: {@code SequencedSource} is the small interface a concrete
 * stream (for example a keel/1 server stream) is adapted to, and its Javadoc states what the
 * server must support. See the "Resumable streams" section of {@code docs/guide.md}.
 */
package io.keelrpc.client.stream.resume;

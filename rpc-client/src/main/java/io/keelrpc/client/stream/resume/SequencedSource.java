package io.keelrpc.client.stream.resume;

import java.util.function.Consumer;

/**
 * A transport of {@linkplain Sequenced sequenced} items that a {@link ResumableStream} reads
 * from: the small interface a concrete transport (a Keel server stream, a WebSocket, a message
 * queue) is adapted to. The transport may be at-least-once and unordered: it may lose, duplicate
 * and reorder items, and its connections may fail. The resumable stream turns that into
 * exactly-once, in-order delivery, using the three things asked of the source here:
 *
 * <ol>
 *   <li><b>resume from a sequence</b>: {@link #open} sends the items numbered {@code fromSeq} and
 *       up, in order as far as the transport keeps it;
 *   <li><b>retransmit a range</b>: {@link Handle#requestRetransmit} sends the items of a range
 *       again, through the same {@code onItem} callback;
 *   <li><b>report a failure</b>: the connection calls {@code onFailure} once when it is over
 *       without having been closed (disconnected, reset, idle timeout).
 * </ol>
 *
 * <p>Sequence numbers must be consecutive: every number from the first on names an item. A number
 * the server skips would look like a gap that never fills.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@code open} must not block: it is called on the thread that calls
 *       {@link ResumableStream.Builder#start}, and for reconnects on the stream's scheduler. It
 *       may fail by throwing or by calling {@code onFailure} (at once or later); both count as a
 *       failed connection.
 *   <li>The callbacks may be called on any thread, also concurrently and from inside
 *       {@code open} or {@code requestRetransmit}. Items with numbers below {@code fromSeq} are
 *       allowed (they are dropped as duplicates).
 *   <li>After {@code onFailure}, or after the stream closed the handle, the connection's callbacks
 *       are ignored: a source need not guard against late calls.
 *   <li>The handle's methods may be called after the connection failed; they should then do
 *       nothing. {@code requestRetransmit} is a best-effort hint: the request and the items it
 *       brings may be lost too (the stream asks again after another gap timeout). A
 *       {@code requestRetransmit} that throws counts as a failure of the connection.
 *   <li>A transport that ends a stream normally (end of stream) while more items are expected
 *       should report that as a failure, so that the stream resumes; for a finite stream the
 *       application closes the {@link ResumableStream} once it has seen the last item.
 * </ul>
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface SequencedSource<T> {
  /**
   * Opens a connection that delivers the items numbered {@code fromSeq} and up.
   *
   * @param fromSeq the first sequence number wanted: the one after the last item delivered
   * @param onItem receives each item that arrives, on any thread
   * @param onFailure receives the failure that ended the connection, on any thread
   * @return the connection's handle, never {@code null}
   */
  Handle open(long fromSeq, Consumer<Sequenced<T>> onItem, Consumer<Throwable> onFailure);

  /** One open connection of a {@link SequencedSource}. */
  interface Handle extends AutoCloseable {
    /**
     * Asks the server to send the items {@code fromSeq..toSeq} (both inclusive) again.
     * Best-effort: see the {@linkplain SequencedSource contract}.
     */
    void requestRetransmit(long fromSeq, long toSeq);

    /** Ends the connection and frees its resources; idempotent; throws nothing. */
    @Override
    void close();
  }
}

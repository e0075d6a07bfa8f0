package io.keelrpc.server;

import java.util.Iterator;

/**
 * The items a caller sends to a streaming handler, in client and bidirectional streams. Items wait
 * here in a buffer of at most the server's stream window (the credit it grants the caller); as the
 * handler takes them, their credit is returned, so a slow handler slows the caller down.
 *
 * <pre>{@code
 * .handleClientStream(SUM, (in, ctx) -> {
 *   long total = 0;
 *   for (Long n : in) {          // blocks for the next item; ends when the caller completes
 *     total += n;
 *   }
 *   return total;
 * })
 * }</pre>
 *
 * <p>Not for concurrent use by several threads, except that the iterator and {@link #next()}
 * share the same items.
 *
 * @param <T> the item type
 */
public interface InboundStream<T> extends Iterable<T> {
  /**
   * The next item, waiting for one; {@code null} once the caller ended its items and every item
   * was taken. Items are never null.
   *
   * @throws io.keelrpc.core.CancelledException if the caller cancelled the stream, its connection
   *     closed, or the thread was interrupted while waiting
   * @throws io.keelrpc.core.InvalidParamsException if an item did not bind to the item type
   * @throws io.keelrpc.core.InvalidRequestException if the caller broke the stream protocol
   * @throws io.keelrpc.core.DeadlineExceededException if the call's deadline passed while waiting
   */
  T next();

  /**
   * The remaining items, in order; {@code hasNext()} waits like {@link #next()} and throws what it
   * throws.
   */
  @Override
  Iterator<T> iterator();

  /** The items that arrived so far. */
  long received();
}

package io.keelrpc.server;

/**
 * The items a streaming handler sends to its caller, in server and bidirectional streams, paced
 * by the caller's credit: the handler never has more items in flight than the caller allowed, so
 * a slow caller slows the handler down instead of filling the server's memory.
 *
 * <p>{@link #send} waits for credit (blocking the handler's worker thread, as it may);
 * {@link #trySend}, {@link #isReady} and {@link #onReady} let a handler do something else while
 * the caller is not ready. Sends from several threads are allowed and numbered in the order they
 * are written.
 *
 * <pre>{@code
 * .handleServerStream(TICKS, (p, out, ctx) -> {
 *   for (int i = 0; i < p.count(); i++) {
 *     out.send(new Tick(i));   // waits while the caller is behind; throws once it cancelled
 *   }
 * })
 * }</pre>
 *
 * @param <T> the item type
 */
public interface ServerStream<T> {
  /**
   * Sends one item, waiting while the caller has granted no credit.
   *
   * @throws NullPointerException if {@code item} is null (items are never null)
   * @throws IllegalArgumentException if {@code item} cannot be serialised to JSON
   * @throws io.keelrpc.core.CancelledException if the caller cancelled the stream, its connection
   *     closed, it broke the stream protocol, or the thread was interrupted while waiting
   * @throws io.keelrpc.core.DeadlineExceededException if the call's deadline passed while waiting
   * @throws IllegalStateException if the handler has returned
   */
  void send(T item);

  /**
   * Sends one item if the caller has granted credit for it, without waiting.
   *
   * @return false if there is no credit now (nothing was sent)
   * @throws io.keelrpc.core.CancelledException as {@link #send}, if the stream has ended
   */
  boolean trySend(T item);

  /** True if {@link #send} would not wait: the caller has granted credit and the stream is open. */
  boolean isReady();

  /**
   * Runs {@code callback} once, when {@link #send} would not wait or the stream has ended: at once
   * on this thread if so already, else on the connection's I/O thread (it must not block there).
   */
  void onReady(Runnable callback);

  /** The items sent so far. */
  long sent();
}

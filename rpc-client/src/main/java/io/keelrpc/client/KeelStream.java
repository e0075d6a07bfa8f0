package io.keelrpc.client;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * The items a server streams to this client, from {@link KeelClient#serverStream} (and, with
 * sending added, {@link BidiStream}). Items wait in a buffer of at most the stream's window
 * ({@link StreamOptions.Builder#window(int)}); the server sends no more than the reader has room
 * for, so a slow reader slows the server down instead of filling memory.
 *
 * <p>{@link #next()} blocks; {@link #nextAsync()} does not; the iterator blocks in
 * {@code hasNext()}. A stream that gets nothing from the server for its idle timeout while the
 * reader waits fails with {@link io.keelrpc.core.StreamIdleTimeoutException}. Closing the stream
 * before it ended (try-with-resources) cancels it on the server as well ({@code $/cancel}), whose
 * handler sees {@code ctx.isCancelled()}. Streams are never retried automatically.
 *
 * <pre>{@code
 * try (KeelStream<Tick> ticks = client.serverStream(TICKS, new TickParams(1_000))) {
 *   for (Tick t : ticks) {                  // blocks for each item; ends with the stream
 *     if (t.n() == 10) {
 *       break;                              // close() then cancels the rest on the server
 *     }
 *   }
 * } catch (StreamIdleTimeoutException e) {  // TIMEOUT: the server went silent
 * } catch (TransportException e) {          // TRANSPORT: the connection failed
 * } catch (RpcException e) {                // APPLICATION: the server ended it with an error
 * }
 * }</pre>
 *
 * <p>Failures, by {@link StreamErrorKind}: TIMEOUT is {@link io.keelrpc.core.StreamIdleTimeoutException}
 * or {@link io.keelrpc.core.DeadlineExceededException}; TRANSPORT is
 * {@link io.keelrpc.core.TransportException} (could not connect, the connection closed, or the
 * server broke the stream protocol); APPLICATION is the {@link io.keelrpc.core.RpcException} the
 * server answered (an {@link io.keelrpc.core.ApplicationException} for application codes), or a
 * {@link io.keelrpc.core.ResponseDecodingException} for an item that does not bind; CANCELLED is
 * {@link java.util.concurrent.CancellationException} after this side cancelled or closed it,
 * {@link io.keelrpc.core.ClientClosedException}, or the server's
 * {@link io.keelrpc.core.CancelledException}. Items that arrived before the server's error or the
 * connection's loss are still read first; after a local cancel or timeout they are dropped.
 *
 * @param <T> the item type
 */
public interface KeelStream<T> extends Iterable<T>, AutoCloseable {
  /**
   * The next item, waiting for one; {@code null} once the stream ended and every item was read.
   * Items are never null. Do not call it on the client's I/O thread (in a callback of a future).
   *
   * @throws io.keelrpc.core.KeelException the stream's typed failure (see the class comment)
   * @throws java.util.concurrent.CancellationException if the stream was cancelled or closed
   *     here, or the thread was interrupted while waiting (the stream is then cancelled)
   */
  T next();

  /**
   * The next item without blocking: a future completed with it, with {@code null} at the end, or
   * exceptionally with the failure {@link #next()} would throw. Futures asked for one after the
   * other complete in order. Callbacks may run on the client's I/O thread: do not block in them.
   */
  CompletableFuture<T> nextAsync();

  /** The remaining items; {@code hasNext()} waits like {@link #next()} and throws what it throws. */
  @Override
  Iterator<T> iterator();

  /**
   * Ends the stream here and, if it has not ended, on the server ({@code $/cancel}): waiting and
   * later reads and sends throw {@link java.util.concurrent.CancellationException}. Does nothing
   * if the stream has already failed or been cancelled.
   */
  void cancel();

  /** {@link #cancel()}: try-with-resources aborts a stream that did not end. */
  @Override
  void close();

  /** True once the stream has ended: the server's answer arrived, or it failed or was cancelled. */
  boolean isDone();

  /** The stream's id on the wire (its opening request's), for logs. */
  String id();

  /** Counters of this stream, for tests and monitoring. */
  StreamStats stats();
}

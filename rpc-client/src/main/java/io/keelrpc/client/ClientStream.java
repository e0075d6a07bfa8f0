package io.keelrpc.client;

import java.util.concurrent.CompletableFuture;

/**
 * A client-streaming call, from {@link KeelClient#clientStream}: this client sends items, the
 * server answers once with a result. Sending waits for the server's credit, so a slow server
 * slows the sender down. Closing it before the answer (try-with-resources) cancels it on the
 * server. Failures are typed as for {@link KeelStream}. Never retried automatically.
 *
 * <pre>{@code
 * try (ClientStream<Row, Summary> upload = client.clientStream(IMPORT)) {
 *   for (Row r : rows) {
 *     upload.send(r);
 *   }
 *   Summary s = upload.complete();       // ends the items, waits for the result
 * }
 * }</pre>
 *
 * @param <I> the items this client sends
 * @param <R> the result
 */
public interface ClientStream<I, R> extends AutoCloseable {
  /**
   * Sends one item, waiting while the server has granted no credit (counted against the idle
   * timeout). Do not call it on the client's I/O thread.
   *
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalArgumentException if {@code item} cannot be serialised to JSON
   * @throws IllegalStateException after {@link #complete()}, or once the server answered
   * @throws io.keelrpc.core.KeelException the stream's typed failure
   * @throws java.util.concurrent.CancellationException if the stream was cancelled here
   */
  void send(I item);

  /**
   * Ends the items and waits for the server's result (counted against the idle timeout).
   *
   * @throws io.keelrpc.core.KeelException the stream's typed failure
   * @throws java.util.concurrent.CancellationException if the stream was cancelled here
   */
  R complete();

  /**
   * Ends the items without waiting: the future completes with the result or the failure.
   * Callbacks may run on the client's I/O thread: do not block in them.
   */
  CompletableFuture<R> completeAsync();

  /** Cancels the stream here and, if it has not ended, on the server. */
  void cancel();

  /** {@link #cancel()} unless the result arrived. */
  @Override
  void close();

  /** True once the stream has ended. */
  boolean isDone();

  /** The stream's id on the wire, for logs. */
  String id();

  /** Counters of this stream. */
  StreamStats stats();
}

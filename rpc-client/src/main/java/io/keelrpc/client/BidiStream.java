package io.keelrpc.client;

/**
 * A bidirectional stream, from {@link KeelClient#bidiStream}: this client sends items while it
 * reads the server's ({@link KeelStream}). Sending waits for the server's credit, so the server's
 * buffer stays bounded too. {@link #complete()} says this side is done; the stream ends when the
 * server answers (after its last item). Closing it before that cancels it on both sides.
 *
 * <pre>{@code
 * try (BidiStream<Question, Answer> chat = client.bidiStream(CHAT)) {
 *   chat.send(new Question("ping"));
 *   Answer a = chat.next();
 *   chat.complete();                    // no more questions
 *   for (Answer rest : chat) { ... }    // the server's remaining answers
 * }
 * }</pre>
 *
 * @param <I> the items this client sends
 * @param <O> the items the server sends
 */
public interface BidiStream<I, O> extends KeelStream<O> {
  /**
   * Sends one item, waiting while the server has granted no credit (counted against the idle
   * timeout). Items are numbered in the order they are written, also when sent from several
   * threads. Do not call it on the client's I/O thread.
   *
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalArgumentException if {@code item} cannot be serialised to JSON
   * @throws IllegalStateException after {@link #complete()}, or once the server ended the stream
   * @throws io.keelrpc.core.KeelException the stream's typed failure
   * @throws java.util.concurrent.CancellationException if the stream was cancelled here
   */
  void send(I item);

  /** Ends this side's items ({@code $/stream/end}); later sends throw. Calling it again does nothing. */
  void complete();
}

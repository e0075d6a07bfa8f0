package io.keelrpc.client.internal;

import io.keelrpc.client.BidiStream;
import io.keelrpc.client.StreamStats;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The typed view of a server or bidirectional {@link StreamingCall} (a server stream's
 * {@code send} throws: it sends no items).
 */
final class DefaultBidiStream<I, O> implements BidiStream<I, O> {
  private final StreamingCall call;

  DefaultBidiStream(StreamingCall call) {
    this.call = call;
  }

  // Items were bound to the descriptor's result type O when they arrived.
  @Override
  @SuppressWarnings("unchecked")
  public O next() {
    return (O) call.next();
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<O> nextAsync() {
    return (CompletableFuture<O>) (CompletableFuture<?>) call.nextAsync();
  }

  @Override
  public Iterator<O> iterator() {
    return new Iterator<>() {
      private O next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          next = DefaultBidiStream.this.next();
          done = next == null;
        }
        return next != null;
      }

      @Override
      public O next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the stream has ended");
        }
        O item = next;
        next = null;
        return item;
      }
    };
  }

  @Override
  public void send(I item) {
    call.send(item);
  }

  @Override
  public void complete() {
    call.halfClose();
  }

  @Override
  public void cancel() {
    call.cancel();
  }

  @Override
  public void close() {
    call.cancel();
  }

  @Override
  public boolean isDone() {
    return call.isDone();
  }

  @Override
  public String id() {
    return call.id();
  }

  @Override
  public StreamStats stats() {
    return call.stats();
  }

  @Override
  public String toString() {
    return "KeelStream[" + call.id() + (call.isDone() ? ", done" : "") + "]";
  }
}

package io.keelrpc.client.internal;

import io.keelrpc.client.BidiStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * The typed view of a server or bidirectional {@link StreamingCall} (a server stream's
 * {@code send} throws: it sends no items).
 */
final class DefaultBidiStream<I, O> extends StreamHandle implements BidiStream<I, O> {
  DefaultBidiStream(StreamingCall call) {
    super(call);
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
  String kind() {
    return "KeelStream";
  }
}

package io.keelrpc.client.internal;

import io.keelrpc.client.ClientStream;
import io.keelrpc.client.StreamStats;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The typed view of a client-streaming {@link StreamingCall}. */
final class DefaultClientStream<I, R> implements ClientStream<I, R> {
  private final StreamingCall call;

  DefaultClientStream(StreamingCall call) {
    this.call = call;
  }

  @Override
  public void send(I item) {
    call.send(item);
  }

  @Override
  public R complete() {
    try {
      return completeAsync().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  // The result was bound to the descriptor's result type R when it arrived.
  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<R> completeAsync() {
    call.halfClose();
    CompletableFuture<R> view = new CompletableFuture<>();
    call.awaitResult().whenComplete((r, t) -> {
      if (t != null) {
        view.completeExceptionally(t);
      } else {
        view.complete((R) r);
      }
    });
    view.whenComplete((r, t) -> {
      if (view.isCancelled()) {
        call.cancel(); // the caller gave up on the result
      }
    });
    return view;
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
    return "ClientStream[" + call.id() + (call.isDone() ? ", done" : "") + "]";
  }
}

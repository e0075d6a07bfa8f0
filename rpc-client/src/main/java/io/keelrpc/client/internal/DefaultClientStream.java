package io.keelrpc.client.internal;

import io.keelrpc.client.ClientStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The typed view of a client-streaming {@link StreamingCall}. */
final class DefaultClientStream<I, R> extends StreamHandle implements ClientStream<I, R> {
  DefaultClientStream(StreamingCall call) {
    super(call);
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
  String kind() {
    return "ClientStream";
  }
}

package io.keelrpc.server.internal;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.AsyncHandler;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.Handler;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** A registered method: its descriptor and either a synchronous or an asynchronous handler. */
public final class Registration<P, R> {
  private final MethodDescriptor<P, R> method;
  private final Handler<P, R> sync;
  private final AsyncHandler<P, R> async;
  private final boolean inline;

  private Registration(MethodDescriptor<P, R> method, Handler<P, R> sync, AsyncHandler<P, R> async,
      boolean inline) {
    this.method = Objects.requireNonNull(method, "method");
    this.sync = sync;
    this.async = async;
    this.inline = inline;
  }

  /** A method whose handler runs on the worker pool. */
  public static <P, R> Registration<P, R> sync(MethodDescriptor<P, R> m, Handler<P, R> h) {
    return new Registration<>(m, Objects.requireNonNull(h, "handler"), null, false);
  }

  /** A method whose synchronous handler runs on the I/O thread (it must not block). */
  public static <P, R> Registration<P, R> inline(MethodDescriptor<P, R> m, Handler<P, R> h) {
    return new Registration<>(m, Objects.requireNonNull(h, "handler"), null, true);
  }

  /** A method whose handler is invoked on the I/O thread and completes a stage. */
  public static <P, R> Registration<P, R> async(MethodDescriptor<P, R> m, AsyncHandler<P, R> h) {
    return new Registration<>(m, null, Objects.requireNonNull(h, "handler"), false);
  }

  public MethodDescriptor<P, R> method() {
    return method;
  }

  boolean isAsync() {
    return async != null;
  }

  /** True if the synchronous handler runs on the I/O thread instead of the worker pool. */
  boolean isInline() {
    return inline;
  }

  Object invokeSync(Object params, CallContext ctx) throws Exception {
    return sync.handle(method.paramsType().cast(params), ctx);
  }

  CompletionStage<R> invokeAsync(Object params, CallContext ctx) {
    CompletionStage<R> stage = async.handle(method.paramsType().cast(params), ctx);
    if (stage == null) {
      throw new NullPointerException("async handler of " + method.name() + " returned null");
    }
    return stage;
  }
}

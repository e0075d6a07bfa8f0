package io.keelrpc.server.internal;

import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.wire.StreamKind;
import io.keelrpc.server.AsyncHandler;
import io.keelrpc.server.CallContext;
import io.keelrpc.server.Handler;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A registered method: its descriptor and either a synchronous or an asynchronous handler, or a
 * streaming handler (see {@link StreamHandlers}).
 */
public final class Registration<P, R> {
  private final MethodDescriptor<P, R> method;
  private final Handler<P, R> sync;
  private final AsyncHandler<P, R> async;
  private final boolean inline;
  private final StreamKind streamKind; // null: not a stream
  private final StreamHandlers.Invoker streamInvoker;

  private Registration(MethodDescriptor<P, R> method, Handler<P, R> sync, AsyncHandler<P, R> async,
      boolean inline) {
    this(method, sync, async, inline, null, null);
  }

  private Registration(MethodDescriptor<P, R> method, Handler<P, R> sync, AsyncHandler<P, R> async,
      boolean inline, StreamKind streamKind, StreamHandlers.Invoker streamInvoker) {
    this.method = Objects.requireNonNull(method, "method");
    this.sync = sync;
    this.async = async;
    this.inline = inline;
    this.streamKind = streamKind;
    this.streamInvoker = streamInvoker;
  }

  /** A streaming method of {@code kind}, run on the worker pool by {@code invoker}. */
  static <P, R> Registration<P, R> stream(MethodDescriptor<P, R> m, StreamKind kind,
      StreamHandlers.Invoker invoker) {
    return new Registration<>(m, null, null, false, Objects.requireNonNull(kind, "kind"),
        Objects.requireNonNull(invoker, "handler"));
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

  /** The kind of stream, or {@code null} for an ordinary method. */
  StreamKind streamKind() {
    return streamKind;
  }

  /** True if this is a streaming method. */
  boolean isStream() {
    return streamKind != null;
  }

  Object invokeStream(Object params, StreamCall call) throws Exception {
    return streamInvoker.invoke(params, call);
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

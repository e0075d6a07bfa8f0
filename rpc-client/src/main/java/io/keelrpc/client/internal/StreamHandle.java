package io.keelrpc.client.internal;

import io.keelrpc.client.StreamStats;

/**
 * What every client-side stream object does the same way: cancel, close (= cancel), and report
 * its state, all by delegating to its {@link StreamingCall}.
 */
abstract class StreamHandle {
  final StreamingCall call;

  StreamHandle(StreamingCall call) {
    this.call = call;
  }

  /** Ends the stream here and, if it has not ended, on the server. */
  public void cancel() {
    call.cancel();
  }

  /** {@link #cancel()}: try-with-resources aborts a stream that did not end. */
  public void close() {
    call.cancel();
  }

  /** True once the stream has ended. */
  public boolean isDone() {
    return call.isDone();
  }

  /** The stream's id on the wire. */
  public String id() {
    return call.id();
  }

  /** Counters of this stream. */
  public StreamStats stats() {
    return call.stats();
  }

  /** The kind of stream object, for {@link #toString()}. */
  abstract String kind();

  @Override
  public String toString() {
    return kind() + "[" + call.id() + (call.isDone() ? ", done" : "") + "]";
  }
}

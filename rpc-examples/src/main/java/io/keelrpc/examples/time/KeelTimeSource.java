package io.keelrpc.examples.time;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.KeelStream;
import io.keelrpc.client.stream.resume.Sequenced;
import io.keelrpc.client.stream.resume.SequencedSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code TimeService.Stream} as a {@link SequencedSource}: each {@link #open} is one native
 * {@code keel/1} server stream starting at the requested sequence number, so a
 * {@link io.keelrpc.client.stream.resume.ResumableStream} over it resumes after a lost
 * connection. Time updates cannot be sent again after the fact, so a retransmit request ends the
 * connection and the resumable stream reopens it from the first missing update (over one TCP
 * connection items arrive in order anyway; gaps only appear across reconnects).
 */
public final class KeelTimeSource implements SequencedSource<TimeResponse> {
  private final KeelClient client;
  private final long intervalSeconds;
  private final long durationSeconds;

  /** A source of the stream {@code {UpdateInterval, Duration}} served to {@code client}. */
  public KeelTimeSource(KeelClient client, long intervalSeconds, long durationSeconds) {
    this.client = Objects.requireNonNull(client, "client");
    this.intervalSeconds = intervalSeconds;
    this.durationSeconds = durationSeconds;
  }

  @Override
  public Handle open(long fromSeq, Consumer<Sequenced<TimeResponse>> onItem,
      Consumer<Throwable> onFailure) {
    KeelStream<TimeResponse> stream = client.serverStream(TimeService.STREAM,
        new TimeStreamRequest(intervalSeconds, durationSeconds, fromSeq));
    AtomicBoolean closed = new AtomicBoolean();
    pump(stream, onItem, onFailure, closed);
    return new Handle() {
      @Override
      public void requestRetransmit(long from, long to) {
        close();
        onFailure.accept(new IllegalStateException(
            "updates " + from + ".." + to + " missing; reopening from " + from));
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          stream.close();
        }
      }
    };
  }

  /** Reads items one after the other without holding a thread. */
  private static void pump(KeelStream<TimeResponse> stream,
      Consumer<Sequenced<TimeResponse>> onItem, Consumer<Throwable> onFailure,
      AtomicBoolean closed) {
    stream.nextAsync().whenComplete((item, failure) -> {
      if (closed.get()) {
        return;
      }
      if (failure != null) {
        onFailure.accept(failure);
      } else if (item != null) {
        onItem.accept(new Sequenced<>(item.sequenceNum(), item));
        if (!item.finalUpdate()) {
          pump(stream, onItem, onFailure, closed);
        }
      }
      // null: the server ended the stream after the final update; the follower stops there.
    });
  }
}

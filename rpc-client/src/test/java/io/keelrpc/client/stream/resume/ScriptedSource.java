package io.keelrpc.client.stream.resume;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link SequencedSource} the test drives by hand: it records every {@code open} as a
 * {@link Conn} through which the test sends items (payload {@code "item-<seq>"}) and failures,
 * and which records retransmit requests and whether the stream closed it.
 */
final class ScriptedSource implements SequencedSource<String> {
  private final List<Conn> opened = new ArrayList<>();
  private RuntimeException failNextOpen;
  private boolean failInsideNextOpen;

  /** The next {@code open} throws {@code e}. */
  void failNextOpen(RuntimeException e) {
    this.failNextOpen = e;
  }

  /** The next {@code open} reports a failure through {@code onFailure} before it returns. */
  void failInsideNextOpen() {
    this.failInsideNextOpen = true;
  }

  @Override
  public Handle open(long fromSeq, Consumer<Sequenced<String>> onItem,
      Consumer<Throwable> onFailure) {
    Conn c = new Conn(fromSeq, onItem, onFailure);
    opened.add(c);
    if (failNextOpen != null) {
      RuntimeException e = failNextOpen;
      failNextOpen = null;
      throw e;
    }
    if (failInsideNextOpen) {
      failInsideNextOpen = false;
      c.fail(new IllegalStateException("refused during open"));
    }
    return c;
  }

  /** Connections opened so far, including those whose open failed. */
  List<Conn> opened() {
    return opened;
  }

  /** How many times {@code open} was called. */
  int opens() {
    return opened.size();
  }

  /** The most recent connection. */
  Conn last() {
    return opened.get(opened.size() - 1);
  }

  /** One connection opened by the stream. */
  static final class Conn implements Handle {
    final long fromSeq;
    private final Consumer<Sequenced<String>> onItem;
    private final Consumer<Throwable> onFailure;
    final List<List<Long>> retransmits = new ArrayList<>();
    private int closes;

    Conn(long fromSeq, Consumer<Sequenced<String>> onItem, Consumer<Throwable> onFailure) {
      this.fromSeq = fromSeq;
      this.onItem = onItem;
      this.onFailure = onFailure;
    }

    /** Delivers the items with these numbers, in this order. */
    Conn send(long... seqs) {
      for (long s : seqs) {
        onItem.accept(new Sequenced<>(s, "item-" + s));
      }
      return this;
    }

    /** Delivers the items {@code from..to}, both inclusive, in order. */
    Conn sendRange(long from, long to) {
      for (long s = from; s <= to; s++) {
        send(s);
      }
      return this;
    }

    /** Reports a failure of this connection. */
    void fail(Throwable t) {
      onFailure.accept(t);
    }

    @Override
    public void requestRetransmit(long fromSeq, long toSeq) {
      retransmits.add(List.of(fromSeq, toSeq));
    }

    @Override
    public void close() {
      closes++;
    }

    boolean closed() {
      return closes > 0;
    }
  }
}

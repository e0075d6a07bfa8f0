package io.keelrpc.examples.chaos;

import io.keelrpc.core.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A thread-safe recorder of operations: each one's invocation (client, key, kind, input) and
 * completion (output, refusal, or unknown outcome), with times from an injected {@link Ticker}.
 * An operation never completed counts as {@link Status#UNKNOWN}, completing at infinity.
 *
 * <pre>{@code
 * History h = new History(Ticker.system());
 * History.Call c = h.invoke("c1", Kind.PUT, "k", 3, "4", "c1-17");
 * c.ok(4, null);          // or c.refused(actualVersion, appliedVersion) or c.unknown()
 * List<Op> ops = h.ops();
 * }</pre>
 */
public final class History {
  /** What an operation did. */
  public enum Kind {
    /** {@code kv.get}: input key; output (value, version), version 0 when absent. */
    GET,
    /** {@code kv.put}: input expected version, value and writer id; output the new version. */
    PUT,
    /** An OCC increment (reads and puts underneath); output the version it wrote. */
    INCREMENT
  }

  /** How an operation ended. */
  public enum Status {
    /** Completed with an answer. */
    OK,
    /** A put the store refused (version mismatch, key exists, key not found): no effect. */
    REFUSED,
    /** Definitely without effect (for example a read that failed). */
    FAILED,
    /** Outcome unknown: lost request or answer, timeout, connection drop, never completed. */
    UNKNOWN
  }

  /**
   * One recorded operation.
   *
   * @param id position of its invocation in the history
   * @param client who invoked it
   * @param kind what it did
   * @param key the key
   * @param expectedVersion a put's expected version (0 create); -1 otherwise
   * @param value a put's value; a GET's or INCREMENT's value read / written
   * @param writerId a put's or increment's writer id; null for a get
   * @param invokedNanos ticker time of the invocation
   * @param completedNanos ticker time of the completion; {@link Long#MAX_VALUE} if unknown
   * @param status how it ended
   * @param version a GET's version read, an OK put's or increment's new version; a refused put's
   *     actual version (-1 if the refusal did not say)
   * @param appliedVersion a refused put's {@code appliedVersion} (the writer id was applied
   *     before, at that version); null otherwise
   */
  public record Op(int id, String client, Kind kind, String key, long expectedVersion,
      String value, String writerId, long invokedNanos, long completedNanos, Status status,
      long version, Long appliedVersion) {
    /** Whether the outcome is known (not {@link Status#UNKNOWN}). */
    public boolean known() {
      return status != Status.UNKNOWN;
    }
  }

  private final Ticker ticker;
  private final List<Op> ops = new ArrayList<>();

  /** A history timed by {@code ticker}. */
  public History(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /**
   * Records an invocation now.
   *
   * @param expectedVersion a put's expected version, -1 for other kinds
   * @param value a put's value, null for other kinds
   * @param writerId a put's or increment's writer id, null for a get
   */
  public Call invoke(String client, Kind kind, String key, long expectedVersion, String value,
      String writerId) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    synchronized (ops) {
      int id = ops.size();
      Op op = new Op(id, client, kind, key, expectedVersion, value, writerId, ticker.nanoTime(),
          Long.MAX_VALUE, Status.UNKNOWN, -1, null);
      ops.add(op);
      return new Call(op);
    }
  }

  /** A snapshot of every operation in invocation order; pending ones are UNKNOWN. */
  public List<Op> ops() {
    synchronized (ops) {
      return List.copyOf(ops);
    }
  }

  /** The number of operations recorded. */
  public int size() {
    synchronized (ops) {
      return ops.size();
    }
  }

  private void complete(Op invoked, Status status, String value, long version,
      Long appliedVersion) {
    long now = ticker.nanoTime();
    synchronized (ops) {
      Op current = ops.get(invoked.id());
      if (current.completedNanos() != Long.MAX_VALUE) {
        throw new IllegalStateException("operation " + invoked.id() + " completed twice");
      }
      ops.set(invoked.id(), new Op(current.id(), current.client(), current.kind(), current.key(),
          current.expectedVersion(), value, current.writerId(), current.invokedNanos(),
          status == Status.UNKNOWN ? Long.MAX_VALUE : now, status, version, appliedVersion));
    }
  }

  /** An invoked operation, to be completed once. */
  public final class Call {
    private final Op op;

    private Call(Op op) {
      this.op = op;
    }

    /** Its id in the history. */
    public int id() {
      return op.id();
    }

    /** A GET's read (value null and version 0 when absent), a put's or increment's new version. */
    public void ok(long version, String value) {
      complete(op, Status.OK, op.kind() == Kind.PUT ? op.value() : value, version, null);
    }

    /** A put refused: the store's actual version (-1 unknown) and applied version (or null). */
    public void refused(long actualVersion, Long appliedVersion) {
      complete(op, Status.REFUSED, op.value(), actualVersion, appliedVersion);
    }

    /** Definitely without effect. */
    public void failed() {
      complete(op, Status.FAILED, op.value(), -1, null);
    }

    /** Outcome unknown: may or may not have taken effect, at any time after invocation. */
    public void unknown() {
      complete(op, Status.UNKNOWN, op.value(), -1, null);
    }
  }
}

package io.keelrpc.examples.chaos;

import io.keelrpc.examples.chaos.History.Kind;
import io.keelrpc.examples.chaos.History.Op;
import io.keelrpc.examples.chaos.History.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A Wing-Gong search (with Lowe's memoisation) deciding whether one key's history of {@code GET}s
 * and {@code PUT}s is linearizable as a <em>versioned register</em> with the KV store's rules.
 *
 * <p>The model's state is {@code (version, value, writer ids applied -> version)}, starting at
 * version 0 (absent). A GET must read exactly the state's version and value. A PUT with writer id
 * {@code w}, expected version {@code e}:
 * <ul>
 *   <li>{@code w} already applied at version {@code a}: no effect; the answer must be OK with
 *       version {@code a} (a retry answered from the idempotency cache) or a refusal carrying
 *       {@code appliedVersion = a};</li>
 *   <li>else {@code e} equals the version: the register moves to {@code e + 1}; the answer must be
 *       OK with version {@code e + 1};</li>
 *   <li>else no effect; the answer must be a refusal without {@code appliedVersion} whose actual
 *       version (if given) is greater than {@code e} and at most the state's version (a refusal
 *       replayed from the idempotency cache may be older than the state).</li>
 * </ul>
 * Operations with a known outcome must all be linearized between their invocation and completion.
 * A PUT whose outcome is unknown may be linearized at any point after its invocation, taking
 * effect, or never (it was lost); GETs and PUTs that failed without effect are ignored.
 *
 * <p>The search walks the events in time order, linearizing a pending call when the model
 * allows it and backtracking when it meets the completion of an operation not yet linearized.
 * Lowe's cache skips a state already explored: the state is a function of the set of linearized
 * operations (each applied PUT has its own version), which is remembered by a 128-bit Zobrist hash
 * (a collision could only prune a branch, reporting a violation that is not, never hide one).
 */
public final class RegisterLinearizability {
  /** Search steps per key before giving up as inconclusive: {@value}. */
  public static final long DEFAULT_MAX_STEPS = 2_000_000_000L;

  /**
   * The verdict for one key.
   *
   * @param linearizable whether a linearization was found
   * @param inconclusive whether the step budget ran out first
   * @param steps search steps taken
   * @param operations operations searched
   * @param detail on failure, the operation the search could not place
   */
  public record Result(boolean linearizable, boolean inconclusive, long steps, int operations,
      String detail) {}

  private RegisterLinearizability() {}

  /** Checks the GET and PUT operations of one key (others are ignored). */
  public static Result check(List<Op> keyOps) {
    return check(keyOps, DEFAULT_MAX_STEPS);
  }

  /** As {@link #check(List)} with a step budget. */
  public static Result check(List<Op> keyOps, long maxSteps) {
    List<Op> ops = new ArrayList<>();
    for (Op op : keyOps) {
      if (op.kind() == Kind.GET && op.status() == Status.OK) {
        ops.add(op);
      } else if (op.kind() == Kind.PUT && op.status() != Status.FAILED) {
        ops.add(op);
      }
    }
    return new Search(ops, maxSteps).run();
  }

  /** One node of the doubly linked event list. */
  private static final class Node {
    final int op;
    final boolean call;
    final long time;
    Node match;
    Node prev;
    Node next;

    Node(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  /** What the model says about a step. */
  private enum Step { APPLY, NO_EFFECT, ILLEGAL }

  private static final class Search {
    final List<Op> ops;
    final long maxSteps;
    final long[] zobristA;
    final long[] zobristB;
    final Node head = new Node(-1, false, Long.MIN_VALUE);
    final Node tail = new Node(-1, false, Long.MAX_VALUE);
    long version;
    String value;
    final Map<String, Long> applied = new HashMap<>();

    Search(List<Op> ops, long maxSteps) {
      this.ops = ops;
      this.maxSteps = maxSteps;
      SplittableRandom random = new SplittableRandom(0x5eed_cafeL);
      zobristA = new long[ops.size()];
      zobristB = new long[ops.size()];
      for (int i = 0; i < ops.size(); i++) {
        zobristA[i] = random.nextLong();
        zobristB[i] = random.nextLong();
      }
      List<Node> events = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        Op op = ops.get(i);
        Node call = new Node(i, true, op.invokedNanos());
        events.add(call);
        if (op.known()) {
          Node ret = new Node(i, false, op.completedNanos());
          call.match = ret;
          events.add(ret);
        }
      }
      // Calls before returns at equal times: operations that touch are taken as concurrent.
      events.sort(Comparator.comparingLong((Node n) -> n.time).thenComparing(n -> !n.call));
      Node prev = head;
      for (Node n : events) {
        prev.next = n;
        n.prev = prev;
        prev = n;
      }
      prev.next = tail;
      tail.prev = prev;
    }

    /** Undo information of one linearized call. */
    private record Frame(Node node, long version, String value, String addedWriter) {}

    Result run() {
      int remainingKnown = 0;
      for (Op op : ops) {
        if (op.known()) {
          remainingKnown++;
        }
      }
      Set<HashKey> seen = new HashSet<>();
      Deque<Frame> stack = new ArrayDeque<>();
      long hashA = 0;
      long hashB = 0;
      long steps = 0;
      int deepest = 0;
      String stuckAt = null;
      Node entry = head.next;
      while (remainingKnown > 0) {
        if (++steps > maxSteps) {
          return new Result(false, true, steps, ops.size(), "step budget " + maxSteps + " ran out");
        }
        if (entry != tail && entry.call) {
          Op op = ops.get(entry.op);
          Step step = step(op);
          if (step == Step.APPLY || (step == Step.NO_EFFECT && op.known())) {
            long na = hashA ^ zobristA[entry.op];
            long nb = hashB ^ zobristB[entry.op];
            if (seen.add(new HashKey(na, nb))) {
              String added = null;
              Frame frame = new Frame(entry, version, value, null);
              if (step == Step.APPLY) {
                version = version + 1;
                value = op.value();
                if (op.writerId() != null && !applied.containsKey(op.writerId())) {
                  applied.put(op.writerId(), version);
                  added = op.writerId();
                }
                frame = new Frame(entry, frame.version(), frame.value(), added);
              }
              stack.push(frame);
              lift(entry);
              hashA = na;
              hashB = nb;
              if (op.known()) {
                remainingKnown--;
              }
              if (stack.size() > deepest) {
                deepest = stack.size();
              }
              entry = head.next;
              continue;
            }
          }
          entry = entry.next;
        } else {
          if (entry != tail && stuckAt == null) {
            stuckAt = describe(ops.get(entry.op));
          }
          if (stack.isEmpty()) {
            return new Result(false, false, steps, ops.size(),
                "no linearization; first operation that could not be placed: " + stuckAt);
          }
          Frame f = stack.pop();
          Op op = ops.get(f.node().op);
          version = f.version();
          value = f.value();
          if (f.addedWriter() != null) {
            applied.remove(f.addedWriter());
          }
          unlift(f.node());
          hashA ^= zobristA[f.node().op];
          hashB ^= zobristB[f.node().op];
          if (op.known()) {
            remainingKnown++;
          }
          entry = f.node().next;
        }
      }
      return new Result(true, false, steps, ops.size(), null);
    }

    private Step step(Op op) {
      if (op.kind() == Kind.GET) {
        boolean same = op.version() == version
            && (version == 0 || Objects.equals(op.value(), value));
        return same ? Step.NO_EFFECT : Step.ILLEGAL;
      }
      Long already = op.writerId() == null ? null : applied.get(op.writerId());
      if (already != null) {
        if (!op.known()) {
          return Step.ILLEGAL;   // a lost repeat: nothing to place
        }
        boolean fits = op.status() == Status.OK ? op.version() == already
            : Objects.equals(op.appliedVersion(), already);
        return fits ? Step.NO_EFFECT : Step.ILLEGAL;
      }
      if (op.expectedVersion() == version) {
        if (!op.known()) {
          return Step.APPLY;
        }
        return op.status() == Status.OK && op.version() == version + 1
            ? Step.APPLY : Step.ILLEGAL;
      }
      if (!op.known()) {
        return Step.ILLEGAL;   // it would be refused: the same as never placing it
      }
      boolean refusalFits = op.status() == Status.REFUSED && op.appliedVersion() == null
          && (op.version() < 0 || (op.version() > op.expectedVersion() && op.version() <= version)
              || (op.version() == 0 && version == 0));
      return refusalFits ? Step.NO_EFFECT : Step.ILLEGAL;
    }

    private static String describe(Op op) {
      return "#" + op.id() + " " + op.client() + " " + op.kind() + " " + op.key()
          + (op.kind() == Kind.PUT ? " expected " + op.expectedVersion() + " writer "
              + op.writerId() : "")
          + " -> " + op.status() + " version " + op.version()
          + (op.appliedVersion() != null ? " applied " + op.appliedVersion() : "")
          + (op.value() != null ? " value " + op.value() : "");
    }

    private static void lift(Node call) {
      call.prev.next = call.next;
      call.next.prev = call.prev;
      Node ret = call.match;
      if (ret != null) {
        ret.prev.next = ret.next;
        ret.next.prev = ret.prev;
      }
    }

    private static void unlift(Node call) {
      Node ret = call.match;
      if (ret != null) {
        ret.prev.next = ret;
        ret.next.prev = ret;
      }
      call.prev.next = call;
      call.next.prev = call;
    }
  }

  /** A 128-bit state hash. */
  private record HashKey(long a, long b) {}
}

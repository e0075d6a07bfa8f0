package io.keelrpc.examples.chaos;

import io.keelrpc.examples.chaos.History.Kind;
import io.keelrpc.examples.chaos.History.Op;
import io.keelrpc.examples.chaos.History.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a soak's {@link History} of counters kept in the versioned KV store.
 *
 * <ol>
 *   <li><b>No acknowledged write lost</b>: every put or increment acknowledged at version
 *       {@code v} of a key is at or below the key's final version.</li>
 *   <li><b>No write applied twice</b>: all the versions reported for one writer id (OK answers,
 *       {@code appliedVersion} of refusals, the increment's result) are one version.</li>
 *   <li><b>Counters</b>: each key's final value equals its final version (every version is one
 *       increment of the previous value) and the increments acknowledged on it plus those of
 *       unknown outcome that the settlement found applied (by writer id, as the scenario runner
 *       does).</li>
 *   <li><b>Linearizability</b> of each key's GETs and PUTs as a versioned register
 *       ({@link RegisterLinearizability}).</li>
 * </ol>
 *
 * <pre>{@code
 * Verdict v = HistoryChecker.check(history.ops(), finalState, settledApplied);
 * v.violations().forEach(System.out::println);
 * }</pre>
 */
public final class HistoryChecker {
  /**
   * A key's value and version at the end.
   *
   * @param value the value; null when absent
   * @param version the version; 0 when absent
   */
  public record Final(String value, long version) {}

  /**
   * One violation.
   *
   * @param kind {@code lost-write}, {@code double-apply}, {@code counter}, {@code unsettled},
   *     {@code not-linearizable} or {@code inconclusive}
   * @param key the key
   * @param message what was seen
   */
  public record Violation(String kind, String key, String message) {
    @Override
    public String toString() {
      return kind + " on " + key + ": " + message;
    }
  }

  /**
   * The outcome.
   *
   * @param violations everything found; empty when the history is correct
   * @param keys keys checked
   * @param searchSteps linearizability search steps over all keys
   */
  public record Verdict(List<Violation> violations, int keys, long searchSteps) {
    /** Whether nothing was found. */
    public boolean ok() {
      return violations.isEmpty();
    }
  }

  private HistoryChecker() {}

  /**
   * Checks {@code ops}.
   *
   * @param finalState each key's final value and version (read after the run, on a quiet store)
   * @param settled for increments of unknown outcome, by writer id: whether the store shows them
   *     applied; an unknown increment missing here is reported {@code unsettled}
   */
  public static Verdict check(List<Op> ops, Map<String, Final> finalState,
      Map<String, Boolean> settled) {
    Objects.requireNonNull(finalState, "finalState");
    Objects.requireNonNull(settled, "settled");
    List<Violation> found = new ArrayList<>();
    Map<String, List<Op>> byKey = new TreeMap<>();
    Map<String, Set<Long>> versionsByWriter = new TreeMap<>();
    Map<String, String> keyByWriter = new TreeMap<>();
    Map<String, Long> acknowledged = new TreeMap<>();
    Map<String, Long> settledApplied = new TreeMap<>();
    for (Op op : ops) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      Final fin = finalState.getOrDefault(op.key(), new Final(null, 0));
      boolean acked = op.status() == Status.OK && op.kind() != Kind.GET;
      if (acked && op.version() > fin.version()) {
        found.add(new Violation("lost-write", op.key(), op.client() + " " + op.kind() + " by "
            + op.writerId() + " acknowledged at version " + op.version() + ", final version "
            + fin.version()));
      }
      if (op.writerId() != null) {
        keyByWriter.put(op.writerId(), op.key());
        Set<Long> versions = versionsByWriter.computeIfAbsent(op.writerId(), w -> new TreeSet<>());
        if (acked) {
          versions.add(op.version());
        } else if (op.status() == Status.REFUSED && op.appliedVersion() != null) {
          versions.add(op.appliedVersion());
        }
      }
      if (op.kind() == Kind.INCREMENT) {
        if (op.status() == Status.OK) {
          acknowledged.merge(op.key(), 1L, Long::sum);
        } else if (op.status() == Status.UNKNOWN) {
          Boolean applied = settled.get(op.writerId());
          if (applied == null) {
            found.add(new Violation("unsettled", op.key(), "increment " + op.writerId()
                + " of unknown outcome was not settled"));
          } else if (applied) {
            settledApplied.merge(op.key(), 1L, Long::sum);
          }
        }
      }
    }
    versionsByWriter.forEach((writer, versions) -> {
      if (versions.size() > 1) {
        found.add(new Violation("double-apply", keyByWriter.get(writer), "writer " + writer
            + " applied at versions " + versions));
      }
    });
    Set<String> counterKeys = new TreeSet<>(acknowledged.keySet());
    counterKeys.addAll(settledApplied.keySet());
    for (Op op : ops) {
      if (op.kind() == Kind.INCREMENT) {
        counterKeys.add(op.key());
      }
    }
    for (String key : counterKeys) {
      Final fin = finalState.getOrDefault(key, new Final(null, 0));
      long value = fin.value() == null ? 0 : parse(fin.value());
      long expected = acknowledged.getOrDefault(key, 0L) + settledApplied.getOrDefault(key, 0L);
      if (value != expected || value != fin.version()) {
        found.add(new Violation("counter", key, "final value " + fin.value() + " at version "
            + fin.version() + ", expected " + expected + " (" + acknowledged.getOrDefault(key, 0L)
            + " acknowledged + " + settledApplied.getOrDefault(key, 0L) + " settled applied)"));
      }
    }
    long steps = 0;
    for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
      RegisterLinearizability.Result r = RegisterLinearizability.check(e.getValue());
      steps += r.steps();
      if (r.inconclusive()) {
        found.add(new Violation("inconclusive", e.getKey(), r.detail()));
      } else if (!r.linearizable()) {
        found.add(new Violation("not-linearizable", e.getKey(), r.detail()));
      }
    }
    return new Verdict(List.copyOf(found), byKey.size(), steps);
  }

  private static long parse(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

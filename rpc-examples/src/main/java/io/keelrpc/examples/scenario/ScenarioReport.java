package io.keelrpc.examples.scenario;

import io.keelrpc.examples.kv.storage.StoredValue;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The outcome of a scenario run: the store's final state, what each client did, what the fault
 * injectors did, and whether every counter equals the increments acknowledged on it.
 *
 * @param config the scenario that ran
 * @param elapsed how long the run took, settling included
 * @param stoppedEarly true if {@link ScenarioRunner#stop()} ended it before its duration
 * @param finalState every key in the store
 * @param acknowledged per key, the increments clients had acknowledged plus those settled as
 *     applied after the run
 * @param clients per client numbers
 * @param faults per fault injector (the server's and each client's) what it injected
 */
public record ScenarioReport(
    ScenarioConfig config,
    Duration elapsed,
    boolean stoppedEarly,
    SortedMap<String, StoredValue> finalState,
    Map<String, Long> acknowledged,
    List<ScenarioRunner.ClientReport> clients,
    List<ScenarioRunner.FaultLine> faults) {

  /** Keys whose final value differs from their acknowledged increments; empty when all agree. */
  public SortedMap<String, String> violations() {
    SortedMap<String, String> bad = new java.util.TreeMap<>();
    TreeSet<String> keys = new TreeSet<>(finalState.keySet());
    keys.addAll(acknowledged.keySet());
    for (String key : keys) {
      StoredValue v = finalState.get(key);
      long value = v == null ? 0 : Long.parseLong(v.value());
      long acked = acknowledged.getOrDefault(key, 0L);
      if (value != acked) {
        bad.put(key, "value " + value + " but " + acked + " acknowledged increments");
      }
    }
    return bad;
  }

  /** True if every key's final value equals the increments acknowledged on it. */
  public boolean invariantHolds() {
    return violations().isEmpty();
  }

  /** Total acknowledged increments. */
  public long totalAcknowledged() {
    return acknowledged.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The report as text for a terminal. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "scenario: %d client(s), %s backend, %.1f s%s, seed %d, server loss: requests %.1f%%,"
            + " put answers %.1f%%, idempotency cache %s%n",
        config.clients().size(), config.backend().cliName(), elapsed.toMillis() / 1000.0,
        stoppedEarly ? " (stopped early)" : "", config.seed(), config.serverRequestLossPercent(),
        config.serverResponseLossPercent(), config.idempotencyCache() ? "on" : "off"));
    out.append(String.format(Locale.ROOT, "%nfinal store state%n%-12s %10s %8s  %s%n",
        "key", "value", "version", "last writer"));
    finalState.forEach((k, v) -> out.append(String.format(Locale.ROOT, "%-12s %10s %8d  %s%n",
        k, v.value(), v.version(), v.writerId())));
    out.append(String.format(Locale.ROOT, "%nper client%n%-12s %6s %5s %9s %8s %9s %9s %6s %9s%n",
        "client", "loss%", "ops", "conflicts", "net-retr", "mode-sw", "recovered", "gave-up",
        "settled"));
    for (int i = 0; i < clients.size(); i++) {
      ScenarioRunner.ClientReport c = clients.get(i);
      out.append(String.format(Locale.ROOT, "%-12s %6.1f %5d %9d %8d %9d %9d %6d %4d/%-4d%n",
          c.name(), config.clients().get(i).requestLossPercent(), c.operations(), c.conflicts(),
          c.networkRetries(), c.modeSwitches(), c.ambiguousRecovered(), c.gaveUp(),
          c.settledApplied(), c.unsettled()));
    }
    out.append(String.format(Locale.ROOT, "%ninjected faults%n"));
    for (ScenarioRunner.FaultLine f : faults) {
      out.append(String.format(Locale.ROOT, "%-12s %s%n", f.where(), f.stats()));
    }
    SortedMap<String, String> bad = violations();
    out.append(System.lineSeparator());
    if (bad.isEmpty()) {
      out.append(String.format(Locale.ROOT,
          "invariant OK: every key's value equals its acknowledged increments (%d keys, %d"
              + " increments)%n", Math.max(finalState.size(), acknowledged.size()),
          totalAcknowledged()));
    } else {
      bad.forEach((k, why) -> out.append("invariant VIOLATED on ").append(k).append(": ")
          .append(why).append(System.lineSeparator()));
    }
    return out.toString();
  }
}

package io.keelrpc.examples.lab;

import java.time.Duration;
import java.util.List;

/**
 * What the lab runs: every delay x every timeout x every policy is one cell of {@code calls}
 * calls, {@code concurrency} of them outstanding at a time.
 *
 * @param delaysMs the server's base service times, one cell row per value
 * @param timeoutsMs the client's per-attempt timeouts
 * @param policies the client's retry policies
 * @param calls calls per cell
 * @param concurrency calls outstanding at a time (closed loop)
 * @param deadline the budget of each call, every attempt and wait included
 * @param serviceTime the shape of the service time; its base is replaced by each delay
 * @param serverCapacity executions the server serves at once
 * @param serverQueue executions that may wait for capacity
 * @param serverDedup whether the server's idempotency cache joins retries of running calls
 * @param seed seed of the service-time draws
 */
public record LabConfig(List<Long> delaysMs, List<Long> timeoutsMs, List<ClientPolicy> policies,
    int calls, int concurrency, Duration deadline, DelayModel serviceTime, int serverCapacity,
    int serverQueue, boolean serverDedup, long seed) {
  /** Copies the lists. */
  public LabConfig {
    delaysMs = List.copyOf(delaysMs);
    timeoutsMs = List.copyOf(timeoutsMs);
    policies = List.copyOf(policies);
  }

  /** Number of cells. */
  public int cells() {
    return delaysMs.size() * timeoutsMs.size() * policies.size();
  }

  /**
   * The longest one cell can take when every call uses its whole deadline, plus a margin for
   * starting the server: how long the lab waits for a cell before giving up.
   */
  public Duration cellBound() {
    long rounds = (calls + concurrency - 1) / concurrency;
    return deadline.multipliedBy(rounds + 1).plusSeconds(10);
  }
}

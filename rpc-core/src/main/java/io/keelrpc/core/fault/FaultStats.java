package io.keelrpc.core.fault;

/**
 * A snapshot of how many faults a {@link FaultInjector} has applied, summed over every client
 * and server it is installed on. Immutable; take a new one with {@link FaultInjector#stats()}.
 *
 * @param requestsDropped requests discarded (client: instead of sent; server: before the handler)
 * @param responsesDropped answers discarded (server: after the handler ran; client: on arrival)
 * @param delayed messages held before going on (client: requests; server: answers)
 * @param duplicated requests sent (client) or delivered (server) a second time
 * @param disconnects connections closed mid-call
 */
public record FaultStats(long requestsDropped, long responsesDropped, long delayed,
    long duplicated, long disconnects) {
  /** Every count zero. */
  public static final FaultStats ZERO = new FaultStats(0, 0, 0, 0, 0);

  /** The sum of every count. */
  public long total() {
    return requestsDropped + responsesDropped + delayed + duplicated + disconnects;
  }

  /** One line for logs and the scenario runner's summary. */
  @Override
  public String toString() {
    return "requestsDropped=" + requestsDropped + ", responsesDropped=" + responsesDropped
        + ", delayed=" + delayed + ", duplicated=" + duplicated + ", disconnects=" + disconnects;
  }
}

package io.keelrpc.core.fault;

import java.util.Objects;

/**
 * The fault rates that apply to one method (or to every method) on the side a
 * {@link FaultInjector} is installed on. Each rate is a probability in {@code [0, 1]}: 0 never, 1
 * always; the faults are decided independently of each other. Immutable; build one with
 * {@link #builder()}.
 *
 * <table>
 *   <caption>What each fault does</caption>
 *   <tr><th>fault</th><th>on a client</th><th>on a server</th></tr>
 *   <tr><td>{@code dropRequest}</td>
 *       <td>the request is discarded instead of sent, as if lost on the network: the write
 *           reports success, the call waits until its attempt times out</td>
 *       <td>the request is discarded before the handler sees it: it never runs and nothing is
 *           answered</td></tr>
 *   <tr><td>{@code dropResponse}</td>
 *       <td>the answer is discarded on arrival</td>
 *       <td>the answer is discarded after the handler ran (the seed's PacketLossWrapper)</td></tr>
 *   <tr><td>{@code delay}</td>
 *       <td>the request is held for the drawn {@link Delay} before it is sent</td>
 *       <td>the answer is held for the drawn {@link Delay} before it is written</td></tr>
 *   <tr><td>{@code duplicateRequest}</td>
 *       <td>the request is sent twice</td>
 *       <td>the request is delivered to the dispatcher twice</td></tr>
 *   <tr><td>{@code disconnect}</td>
 *       <td>the connection is closed right after the request is sent</td>
 *       <td>the request is delivered, then the connection is closed before the answer can go
 *           out</td></tr>
 * </table>
 *
 * <p>A dropped request suffers no other fault. Otherwise faults combine: a request can be delayed,
 * duplicated and followed by a disconnect.
 *
 * <pre>{@code
 * FaultRule lossy = FaultRule.builder()
 *     .dropRequest(0.1)
 *     .dropResponse(0.1)
 *     .delay(0.2, Delay.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
 *     .build();
 * }</pre>
 */
public final class FaultRule {
  private static final FaultRule NONE = builder().build();

  private final double dropRequest;
  private final double dropResponse;
  private final double delayRate;
  private final Delay delay;
  private final double duplicateRequest;
  private final double disconnect;

  private FaultRule(Builder b) {
    this.dropRequest = b.dropRequest;
    this.dropResponse = b.dropResponse;
    this.delayRate = b.delayRate;
    this.delay = b.delay;
    this.duplicateRequest = b.duplicateRequest;
    this.disconnect = b.disconnect;
  }

  /** A rule with every rate 0: no faults. */
  public static FaultRule none() {
    return NONE;
  }

  /** A builder with every rate 0. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this rule's values. */
  public Builder toBuilder() {
    return new Builder()
        .dropRequest(dropRequest)
        .dropResponse(dropResponse)
        .delay(delayRate, delay)
        .duplicateRequest(duplicateRequest)
        .disconnect(disconnect);
  }

  /** The rate at which requests are dropped. */
  public double dropRequest() {
    return dropRequest;
  }

  /** The rate at which answers are dropped. */
  public double dropResponse() {
    return dropResponse;
  }

  /** The rate at which messages are delayed. */
  public double delayRate() {
    return delayRate;
  }

  /** The delay drawn when a message is delayed; {@code fixed(0)} when none was configured. */
  public Delay delay() {
    return delay;
  }

  /** The rate at which requests are duplicated. */
  public double duplicateRequest() {
    return duplicateRequest;
  }

  /** The rate at which the connection is closed mid-call. */
  public double disconnect() {
    return disconnect;
  }

  /** True if every rate is 0. */
  public boolean isNone() {
    return dropRequest == 0 && dropResponse == 0 && delayRate == 0 && duplicateRequest == 0
        && disconnect == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultRule r && dropRequest == r.dropRequest
        && dropResponse == r.dropResponse && delayRate == r.delayRate && delay.equals(r.delay)
        && duplicateRequest == r.duplicateRequest && disconnect == r.disconnect;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dropRequest, dropResponse, delayRate, delay, duplicateRequest, disconnect);
  }

  /** The non-zero rates, e.g. {@code FaultRule{dropRequest=0.1, delay=0.2 x fixed(PT0.005S)}}. */
  @Override
  public String toString() {
    if (isNone()) {
      return "FaultRule{none}";
    }
    StringBuilder s = new StringBuilder("FaultRule{");
    append(s, "dropRequest", dropRequest);
    append(s, "dropResponse", dropResponse);
    if (delayRate > 0) {
      s.append(s.length() > 10 ? ", " : "").append("delay=").append(delayRate).append(" x ")
          .append(delay);
    }
    append(s, "duplicateRequest", duplicateRequest);
    append(s, "disconnect", disconnect);
    return s.append('}').toString();
  }

  private static void append(StringBuilder s, String name, double rate) {
    if (rate > 0) {
      s.append(s.length() > 10 ? ", " : "").append(name).append('=').append(rate);
    }
  }

  /** Builds a {@link FaultRule}; each setter validates its argument at once. */
  public static final class Builder {
    private double dropRequest;
    private double dropResponse;
    private double delayRate;
    private Delay delay = Delay.none();
    private double duplicateRequest;
    private double disconnect;

    private Builder() {}

    /** The rate at which requests are dropped, in {@code [0, 1]} (default 0). */
    public Builder dropRequest(double rate) {
      this.dropRequest = rate("dropRequest", rate);
      return this;
    }

    /** The rate at which answers are dropped, in {@code [0, 1]} (default 0). */
    public Builder dropResponse(double rate) {
      this.dropResponse = rate("dropResponse", rate);
      return this;
    }

    /**
     * The rate at which messages are delayed, in {@code [0, 1]}, and how long (default rate 0: no
     * delay). A client delays the requests it sends, a server the answers it writes.
     */
    public Builder delay(double rate, Delay delay) {
      double r = rate("delayRate", rate);
      this.delay = Objects.requireNonNull(delay, "delay");
      this.delayRate = r;
      return this;
    }

    /** The rate at which requests are duplicated, in {@code [0, 1]} (default 0). */
    public Builder duplicateRequest(double rate) {
      this.duplicateRequest = rate("duplicateRequest", rate);
      return this;
    }

    /** The rate at which the connection is closed mid-call, in {@code [0, 1]} (default 0). */
    public Builder disconnect(double rate) {
      this.disconnect = rate("disconnect", rate);
      return this;
    }

    /** The rule. */
    public FaultRule build() {
      return new FaultRule(this);
    }

    private static double rate(String name, double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(name + ": " + rate + " (expected: 0..1)");
      }
      return rate;
    }
  }
}

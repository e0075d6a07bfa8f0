package io.keelrpc.examples.eventlog;

/**
 * What a {@link MessageSource} generates and how it misbehaves: the parameters of the seed's
 * {@code MessageSource}, with the seed's defaults. Immutable; build with {@link #builder(long)}.
 *
 * <pre>{@code
 * SourceConfig c = SourceConfig.builder(42).totalPackets(500).lossRate(0).build();
 * }</pre>
 *
 * @param seed seeds every random choice: the same seed gives the same packets, faults and
 *     terminations
 * @param totalPackets sequences {@code 0..totalPackets-1} are generated
 * @param reorderWindow the most positions a packet is delayed by
 * @param duplicateRate the probability that a delivered packet is delivered a second time, up to
 *     {@code 2 * reorderWindow} positions later
 * @param lossRate the probability that a packet is never delivered (not even on request)
 * @param corruptionRate the probability that a delivery, and separately each retransmission,
 *     carries a bad checksum
 * @param terminationRate the probability, per regular delivery, that the source terminates the
 *     process instead ({@link SourceTerminatedException})
 */
public record SourceConfig(long seed, int totalPackets, int reorderWindow, double duplicateRate,
    double lossRate, double corruptionRate, double terminationRate) {
  /** The seed's {@code DEFAULT_TOTAL_PACKETS}. */
  public static final int DEFAULT_TOTAL_PACKETS = 1000;
  /** The seed's {@code DEFAULT_REORDER_WINDOW}. */
  public static final int DEFAULT_REORDER_WINDOW = 10;
  /** The seed's {@code DEFAULT_DUPLICATE_PROB}. */
  public static final double DEFAULT_DUPLICATE_RATE = 0.05;
  /** The seed's {@code DEFAULT_LOSS_PROB}. */
  public static final double DEFAULT_LOSS_RATE = 0.02;
  /** The seed's {@code DEFAULT_CORRUPTION_PROB}. */
  public static final double DEFAULT_CORRUPTION_RATE = 0.03;
  /** The seed's {@code DEFAULT_TERMINATION_PROB}, per delivery. */
  public static final double DEFAULT_TERMINATION_RATE = 0.005;
  /** The most packets a source generates. */
  public static final int MAX_TOTAL_PACKETS = 1_000_000;
  /** The largest reorder window. */
  public static final int MAX_REORDER_WINDOW = 100_000;

  /** Validates the parameters. */
  public SourceConfig {
    check(totalPackets >= 1 && totalPackets <= MAX_TOTAL_PACKETS,
        "totalPackets: " + totalPackets + " (expected: 1.." + MAX_TOTAL_PACKETS + ")");
    check(reorderWindow >= 0 && reorderWindow <= MAX_REORDER_WINDOW,
        "reorderWindow: " + reorderWindow + " (expected: 0.." + MAX_REORDER_WINDOW + ")");
    checkRate("duplicateRate", duplicateRate, 1);
    checkRate("lossRate", lossRate, 1);
    checkRate("corruptionRate", corruptionRate, 0.9);
    checkRate("terminationRate", terminationRate, 0.5);
  }

  /** A builder starting from the seed's defaults. */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(seed).totalPackets(totalPackets).reorderWindow(reorderWindow)
        .duplicateRate(duplicateRate).lossRate(lossRate).corruptionRate(corruptionRate)
        .terminationRate(terminationRate);
  }

  private static void checkRate(String name, double rate, double max) {
    check(rate >= 0 && rate <= max, name + ": " + rate + " (expected: 0.." + max + ")");
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builds a {@link SourceConfig}; each setter's default is the seed's. */
  public static final class Builder {
    private final long seed;
    private int totalPackets = DEFAULT_TOTAL_PACKETS;
    private int reorderWindow = DEFAULT_REORDER_WINDOW;
    private double duplicateRate = DEFAULT_DUPLICATE_RATE;
    private double lossRate = DEFAULT_LOSS_RATE;
    private double corruptionRate = DEFAULT_CORRUPTION_RATE;
    private double terminationRate = DEFAULT_TERMINATION_RATE;

    private Builder(long seed) {
      this.seed = seed;
    }

    /** Packets to generate, 1..{@value #MAX_TOTAL_PACKETS} (default 1000). */
    public Builder totalPackets(int n) {
      this.totalPackets = n;
      return this;
    }

    /** The most positions a packet is delayed by (default 10). */
    public Builder reorderWindow(int w) {
      this.reorderWindow = w;
      return this;
    }

    /** Probability of a second delivery, 0..1 (default 0.05). */
    public Builder duplicateRate(double p) {
      this.duplicateRate = p;
      return this;
    }

    /** Probability of a packet never arriving, 0..1 (default 0.02). */
    public Builder lossRate(double p) {
      this.lossRate = p;
      return this;
    }

    /** Probability of a bad checksum, 0..0.9 (default 0.03). */
    public Builder corruptionRate(double p) {
      this.corruptionRate = p;
      return this;
    }

    /** Probability of terminating the process per delivery, 0..0.5 (default 0.005). */
    public Builder terminationRate(double p) {
      this.terminationRate = p;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public SourceConfig build() {
      return new SourceConfig(seed, totalPackets, reorderWindow, duplicateRate, lossRate,
          corruptionRate, terminationRate);
    }
  }
}

package io.keelrpc.core.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.fault.internal.FaultConfigJson;
import io.keelrpc.core.fault.internal.FaultCounters;
import io.keelrpc.core.fault.internal.FaultHash;
import io.keelrpc.core.fault.internal.FaultInjectionHandler;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Seeded, reproducible network faults for testing services built on Keel: drops requests or
 * answers, delays, duplicates requests, and closes connections mid-call, at rates given per method
 * or for every method. Install one on a client ({@code KeelClient.builder().faultInjector(..)}) or
 * on a server ({@code KeelServer.builder().faultInjector(..)}); without one, no fault code runs.
 *
 * <pre>{@code
 * FaultInjector faults = FaultInjector.builder()
 *     .seed(42)
 *     .forAllMethods(FaultRule.builder().dropRequest(0.1).dropResponse(0.1).build())
 *     .forMethod("kv.get", FaultRule.none())          // replaces the rule above for kv.get
 *     .build();
 * KeelServer server = KeelServer.builder().faultInjector(faults).handle(...).start();
 * ...
 * System.out.println(faults.stats());   // requestsDropped=12, responsesDropped=9, ...
 * }</pre>
 *
 * <h2>Determinism</h2>
 *
 * <p>Every decision is a pure function of {@code (seed, side, fault kind, method, call id,
 * meta.attempt)}: a 64-bit splitmix hash of those values mapped to a number in {@code [0, 1)},
 * the fault applying when the number is below its rate (a drawn delay uses the same hash with its
 * own salt). No random generator is shared, so neither thread interleaving nor the order in which
 * calls are made changes which call suffers which fault: with the same seed, the attempt of a call
 * with the same id and method meets the same faults every time. {@link #plan} tells what they are
 * without sending anything. Because every attempt of a call carries its own attempt number, a
 * retried call draws afresh and is not doomed to the same fault forever.
 *
 * <p>To replay a run, the calls must carry the same ids: give each Keel client a fixed id prefix
 * ({@code KeelClient.builder().idPrefix("client-1-")}); its ids are then the prefix and a counter.
 * Requests without an id (notifications) and messages that cannot be read are left alone.
 *
 * <h2>Sharing and counters</h2>
 *
 * <p>The configuration is immutable; the counters reported by {@link #stats()} are the only
 * state. One injector may be installed on several clients and servers, even on both sides at once:
 * the side is part of every decision, so the two sides draw independently. Its counters then sum
 * over all of them; use one injector per side to count them apart.
 */
public final class FaultInjector {
  /** Default {@link Builder#seed(long)}: 0. */
  public static final long DEFAULT_SEED = 0;

  /** Where an injector is installed; part of every decision. */
  public enum Side {
    /** In a client: acts on requests it sends and answers it receives. */
    CLIENT,
    /** In a server: acts on requests it receives and answers it writes. */
    SERVER
  }

  private final long seed;
  private final FaultRule all;
  private final Map<String, FaultRule> methods;
  private final boolean none;
  private final FaultCounters counters = new FaultCounters();

  private FaultInjector(Builder b) {
    this.seed = b.seed;
    this.all = b.all;
    this.methods = Collections.unmodifiableMap(new LinkedHashMap<>(b.methods));
    this.none = all.isNone() && methods.values().stream().allMatch(FaultRule::isNone);
  }

  /** A builder with seed {@value FaultInjector#DEFAULT_SEED} and no rules. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads an injector from its JSON form, as a scenario file holds it. Every member is optional;
   * unknown members are refused.
   *
   * <pre>{@code
   * {"seed": 42,
   *  "all": {"dropRequest": 0.1, "dropResponse": 0.1, "duplicateRequest": 0.05, "disconnect": 0.0,
   *          "delay": {"rate": 0.2, "kind": "uniform", "minMs": 1, "maxMs": 20}},
   *  "methods": {"kv.put": {"dropResponse": 0.3}}}
   * }</pre>
   *
   * <p>A delay's {@code kind} is {@code "fixed"} (with {@code ms}), {@code "uniform"} (with
   * {@code minMs} and {@code maxMs}) or {@code "exponential"} (with {@code meanMs}); milliseconds
   * may have decimals.
   *
   * @throws IllegalArgumentException naming the bad member, e.g.
   *     {@code all.dropRequest: 1.5 (expected: 0..1)}
   */
  public static FaultInjector fromJson(JsonNode config) {
    return FaultConfigJson.parse(Objects.requireNonNull(config, "config"));
  }

  /** The seed every decision derives from. */
  public long seed() {
    return seed;
  }

  /** The rule for methods without one of their own ({@link FaultRule#none()} if not set). */
  public FaultRule allMethodsRule() {
    return all;
  }

  /** The per-method rules, in the order they were added (unmodifiable). */
  public Map<String, FaultRule> methodRules() {
    return methods;
  }

  /** The rule that applies to {@code method}: its own, else the rule for all methods. */
  public FaultRule ruleFor(String method) {
    Objects.requireNonNull(method, "method");
    FaultRule own = methods.get(method);
    return own != null ? own : all;
  }

  /** True if no rule has a non-zero rate, so the injector never does anything. */
  public boolean isNone() {
    return none;
  }

  /**
   * The faults this injector applies on {@code side} to attempt {@code attempt} of the call
   * {@code id} of {@code method}: a pure function of the seed and the arguments (see the class
   * description), which the installed handlers use for every message.
   *
   * @param attempt {@code meta.attempt} as sent, 0 when the request carries none
   */
  public FaultPlan plan(Side side, String method, String id, int attempt) {
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(id, "id");
    FaultRule rule = ruleFor(method);
    if (rule.isNone()) {
      return FaultPlan.NONE;
    }
    int s = side == Side.CLIENT ? FaultHash.CLIENT : FaultHash.SERVER;
    boolean delayed = decide(rule.delayRate(), s, FaultHash.DELAY, method, id, attempt);
    Duration delay = delayed
        ? rule.delay().sample(FaultHash.unit(seed, s, FaultHash.DELAY_AMOUNT, method, id, attempt))
        : Duration.ZERO;
    return new FaultPlan(
        decide(rule.dropRequest(), s, FaultHash.DROP_REQUEST, method, id, attempt),
        decide(rule.dropResponse(), s, FaultHash.DROP_RESPONSE, method, id, attempt),
        delayed, delay,
        decide(rule.duplicateRequest(), s, FaultHash.DUPLICATE_REQUEST, method, id, attempt),
        decide(rule.disconnect(), s, FaultHash.DISCONNECT, method, id, attempt));
  }

  private boolean decide(double rate, int side, int kind, String method, String id, int attempt) {
    return rate >= 1 || (rate > 0 && FaultHash.unit(seed, side, kind, method, id, attempt) < rate);
  }

  /** How many faults were applied so far, over every client and server this is installed on. */
  public FaultStats stats() {
    return counters.snapshot();
  }

  /**
   * A Netty handler applying this injector to one connection, for a pipeline of your own: place
   * it right after the {@link io.keelrpc.core.wire.KeelFrameDecoder}. Keel's client and server
   * install it themselves when given an injector.
   */
  public ChannelHandler newHandler(Side side) {
    return new FaultInjectionHandler(this, Objects.requireNonNull(side, "side"), counters);
  }

  @Override
  public String toString() {
    return "FaultInjector{seed=" + seed + ", all=" + all + ", methods=" + methods + "}";
  }

  /** Builds a {@link FaultInjector}; each setter validates its argument at once. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private FaultRule all = FaultRule.none();
    private final Map<String, FaultRule> methods = new LinkedHashMap<>();

    private Builder() {}

    /** The seed every decision derives from (default {@value FaultInjector#DEFAULT_SEED}). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The rule for every method without a rule of its own (default {@link FaultRule#none()}). */
    public Builder forAllMethods(FaultRule rule) {
      this.all = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * The rule for {@code method}, replacing the all-methods rule for it (default none: the
     * all-methods rule applies). {@link FaultRule#none()} exempts a method.
     *
     * @throws IllegalArgumentException if {@code method} is empty or already has a rule
     */
    public Builder forMethod(String method, FaultRule rule) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(rule, "rule");
      if (method.isEmpty()) {
        throw new IllegalArgumentException("method: \"\" (expected: a non-empty name)");
      }
      if (methods.putIfAbsent(method, rule) != null) {
        throw new IllegalArgumentException(
            "method: \"" + method + "\" (expected: one rule per method)");
      }
      return this;
    }

    /** The injector, with fresh counters. */
    public FaultInjector build() {
      return new FaultInjector(this);
    }
  }
}

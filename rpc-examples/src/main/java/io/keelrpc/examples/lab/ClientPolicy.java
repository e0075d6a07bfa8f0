package io.keelrpc.examples.lab;

import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The client retry policies the lab compares. The per-attempt timeout and the call deadline are
 * matrix parameters; a policy says how often and how soon to try again, and whether a retry budget
 * throttles it. Every lab call is marked idempotent, so timeouts are retried.
 */
public enum ClientPolicy {
  /** One attempt: a timeout is the call's failure. */
  NONE("none", "1 attempt, no retry",
      RetryPolicy.noRetries(), false),
  /**
   * The seed notebook's client: 3 retries, backoff 50 ms doubling, each wait stretched by up to
   * 10% ({@code base * (1 + 0.1 u)}), no budget.
   */
  SEED("seed", "4 attempts, 50 ms x2 backoff, +0-10% jitter, no budget",
      RetryPolicy.builder()
          .maxAttempts(4)
          .initialBackoff(Duration.ofMillis(50))
          .multiplier(2.0)
          .jitter(Jitter.proportional(0.1))
          .build(),
      false),
  /**
   * {@code KeelClient}'s defaults: 4 attempts, 50 ms doubling with full jitter, and the client's
   * retry budget (20 tokens, ratio 0.5).
   */
  KEEL_DEFAULT("keel-default", "4 attempts, 50 ms x2 full jitter, retry budget 20/0.5",
      RetryPolicy.ofDefaults(), true),
  /** A retry storm waiting to happen: 10 attempts, each retry at once, no jitter, no budget. */
  AGGRESSIVE("aggressive", "10 attempts, immediate retries, no budget",
      RetryPolicy.builder()
          .maxAttempts(10)
          .initialBackoff(Duration.ZERO)
          .jitter(Jitter.none())
          .build(),
      false);

  private final String label;
  private final String summary;
  private final RetryPolicy retryPolicy;
  private final boolean budgeted;

  ClientPolicy(String label, String summary, RetryPolicy retryPolicy, boolean budgeted) {
    this.label = label;
    this.summary = summary;
    this.retryPolicy = retryPolicy;
    this.budgeted = budgeted;
  }

  /** The name on the command line and in the results, e.g. {@code keel-default}. */
  public String label() {
    return label;
  }

  /** One line saying what the policy does. */
  public String summary() {
    return summary;
  }

  /** The retry policy of the policy's client. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** A fresh retry budget for one client: the default budget, or unlimited. */
  public RetryBudget newBudget() {
    return budgeted ? RetryBudget.ofDefaults() : RetryBudget.unlimited();
  }

  /**
   * The policy labelled {@code label} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known labels if there is none
   */
  public static ClientPolicy parse(String label) {
    String l = label.trim().toLowerCase(Locale.ROOT);
    for (ClientPolicy p : values()) {
      if (p.label.equals(l)) {
        return p;
      }
    }
    throw new IllegalArgumentException("policy: \"" + label + "\" (expected one of: "
        + Arrays.stream(values()).map(ClientPolicy::label).collect(Collectors.joining(", "))
        + ")");
  }
}
